/*
 * The HTML report's stylesheets and scripts (reporters/html/), built into
 * the binary so that memaudit needs no file at run time and the report is
 * one file.  Each is its bytes and a NUL; reporters/html.c writes them into
 * the page.  Paths are relative to the top of the tree, where make runs.
 */
	.section .rodata

	.globl ma_html_app_css
ma_html_app_css:
	.incbin "reporters/html/app.css"
	.byte 0

	.globl ma_html_plots_css
ma_html_plots_css:
	.incbin "reporters/html/plots.css"
	.byte 0

	.globl ma_html_plots_js
ma_html_plots_js:
	.incbin "reporters/html/plots.js"
	.byte 0

	.globl ma_html_app_js
ma_html_app_js:
	.incbin "reporters/html/app.js"
	.byte 0

	.section .note.GNU-stack,"",@progbits
