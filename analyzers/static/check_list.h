/*
 * The static checkers, one line each (smatch's check_list.h).  This file is
 * included twice by checks.c: once to declare each check_<rule>() and once
 * to build the table the engine runs.
 *
 * Adding a rule, the whole checklist:
 *   1. rules/<rule-id>.json        the catalogue record (id, title, CWE, ...)
 *   2. analyzers/static/check_<rule_id>.c
 *                                  void check_<rule_id>(struct ma_engine *, int id)
 *                                  registering its hooks (start from
 *                                  check_template.c)
 *   3. one CK() line below         (the rule id is the name with '_' -> '-')
 *   4. fixtures/checkers/<rule-id>/bad.c and good.c, each ending with its
 *      expected findings (see fixtures/README.md); tests/unit/test_checkers.c
 *      runs every fixture directory, so no test code is needed
 *   5. docs/rules/<rule-id>.md     with a bad and a good example
 * Nothing else: the Makefile picks up check_*.c by wildcard.
 */
CK(check_allocation_too_large)
CK(check_constant_condition)
CK(check_dangerous_function)
CK(check_double_free)
CK(check_double_lock)
CK(check_format_string_non_literal)
CK(check_free_non_heap)
CK(check_free_null)
CK(check_function_pointer_mismatch)
CK(check_lock_not_released)
CK(check_memory_leak)
CK(check_misleading_body)
CK(check_mismatched_deallocation)
CK(check_missing_return)
CK(check_null_dereference)
CK(check_pow_out_of_range)
CK(check_realloc_leak)
CK(check_redundant_condition)
CK(check_resource_leak)
CK(check_return_stack_address)
CK(check_sizeof_pointer)
CK(check_unchecked_return)
CK(check_uninitialized_read)
CK(check_unlock_without_lock)
CK(check_unused_variable)
CK(check_use_after_free)
