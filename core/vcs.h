#ifndef MA_VCS_H
#define MA_VCS_H
/*
 * Which commit a source tree is: the git checkout holding `dir`, read from
 * its .git directory (HEAD, then the ref it names, loose or packed), with
 * no git process.  Worktrees (.git a file naming the real directory) are
 * followed.
 *
 *     char *commit, *branch;
 *     if (ma_vcs_head(root, &commit, &branch) == 0) ...   (branch NULL when detached)
 */

/* 0 and *commit (hex), *branch (NULL when HEAD is detached), both the
 * caller's to free; -1 when dir is in no git checkout or HEAD is unborn. */
int ma_vcs_head(const char *dir, char **commit, char **branch);

#endif
