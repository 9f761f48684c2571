#ifndef MA_EXITCODE_H
#define MA_EXITCODE_H
/*
 * memaudit's documented exit codes (README.md, `memaudit --help`).
 * MA_EXIT_INCOMPLETE wins over MA_EXIT_FINDINGS: a partial audit that also
 * found bugs exits 3, because its "no more findings" cannot be trusted.
 */
enum ma_exit {
	MA_EXIT_OK = 0,         /* no finding at or above --fail-on */
	MA_EXIT_FINDINGS = 1,   /* findings at or above --fail-on */
	MA_EXIT_USAGE = 2,      /* usage error or unusable input */
	MA_EXIT_INCOMPLETE = 3, /* audit incomplete; reports written, marked partial */
};

#endif
