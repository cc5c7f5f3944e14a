#ifndef RECONCILE_CGIT2_SHIM_H
#define RECONCILE_CGIT2_SHIM_H
#include <git2.h>
/* libgit2 >= 1.8 moved `git_error_set_str` (Adapters' GitError sets the transport's message) to sys/errors.h;
   1.5 (Debian 12) declares it in git2/errors.h and has no sys/errors.h. */
#if __has_include(<git2/sys/errors.h>)
#include <git2/sys/errors.h>
#endif

/* `git_libgit2_opts` is variadic, which Swift cannot call: one fixed-signature wrapper per option we use. */

/* Whether libgit2 refuses repositories owned by another user (on by default since 1.4.3). */
static inline int reconcile_git_get_owner_validation(int *enabled) {
    return git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, enabled);
}

static inline int reconcile_git_set_owner_validation(int enabled) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, enabled);
}

/* The CA certificates that HTTPS remotes are checked against (replacing the system's), as git's GIT_SSL_CAINFO. */
static inline int reconcile_git_set_ssl_cert_file(const char *file) {
    return git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, file, NULL);
}

#endif
