#ifndef MA_VERSION_H
#define MA_VERSION_H
/* memaudit's version; also the SARIF driver version. */
#define MA_VERSION "0.1.0"
#endif
