/*
 * lossyfs: a pass-through FUSE filesystem that keeps every write in memory until the file is
 * fsync'd, like a page cache that is never written back on its own. Killing the lossyfs
 * process is a power cut: whatever was written and not synced is gone, the backing directory
 * holds exactly what was synced. Used by the durability tests (PowerCutIT, LossyFsIT).
 *
 *   lossyfs BACKING_DIR MOUNTPOINT [-f] [other FUSE options]
 *
 * Model: per file, an ordered list of pending operations (write, truncate). Reads and sizes see
 * the backing file with the pending operations applied; fsync/fdatasync applies them to the
 * backing file and fsyncs it. Metadata (create, unlink, rename, mkdir) goes to the backing
 * directory at once: only file contents are at risk, which is what SQLite's commit protocol
 * relies on fsync for. Kernel caching is turned off so every read comes here.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <fuse.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

enum op_kind { OP_WRITE, OP_TRUNCATE };

struct op {
    enum op_kind kind;
    off_t off;      /* write: offset; truncate: new size */
    size_t len;     /* write: length */
    char *data;     /* write: bytes */
    struct op *next;
};

struct pending {
    char *path;     /* relative to the backing directory */
    struct op *head, *tail;
    off_t size;     /* logical size with the operations applied */
    struct pending *next;
};

static char *backing;
static struct pending *files;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long pending_bytes, synced_ops;

static void real_path(char *out, const char *path) {
    snprintf(out, PATH_MAX, "%s%s", backing, path);
}

static struct pending *find(const char *path) {
    for (struct pending *p = files; p; p = p->next) {
        if (strcmp(p->path, path) == 0) {
            return p;
        }
    }
    return NULL;
}

static off_t backing_size(const char *path) {
    char rp[PATH_MAX];
    struct stat st;
    real_path(rp, path);
    return lstat(rp, &st) == 0 ? st.st_size : 0;
}

static struct pending *get(const char *path) {
    struct pending *p = find(path);
    if (!p) {
        p = calloc(1, sizeof *p);
        p->path = strdup(path);
        p->size = backing_size(path);
        p->next = files;
        files = p;
    }
    return p;
}

static void drop_ops(struct pending *p) {
    struct op *o = p->head;
    while (o) {
        struct op *n = o->next;
        if (o->kind == OP_WRITE) {
            pending_bytes -= o->len;
        }
        free(o->data);
        free(o);
        o = n;
    }
    p->head = p->tail = NULL;
}

static void forget(const char *path) {
    for (struct pending **pp = &files; *pp; pp = &(*pp)->next) {
        if (strcmp((*pp)->path, path) == 0) {
            struct pending *p = *pp;
            *pp = p->next;
            drop_ops(p);
            free(p->path);
            free(p);
            return;
        }
    }
}

static void add_op(struct pending *p, enum op_kind kind, off_t off, const char *data, size_t len) {
    struct op *o = calloc(1, sizeof *o);
    o->kind = kind;
    o->off = off;
    o->len = len;
    if (kind == OP_WRITE) {
        o->data = malloc(len ? len : 1);
        memcpy(o->data, data, len);
        pending_bytes += len;
        if (off + (off_t) len > p->size) {
            p->size = off + (off_t) len;
        }
    } else {
        p->size = off;
    }
    if (p->tail) {
        p->tail->next = o;
    } else {
        p->head = o;
    }
    p->tail = o;
}

/* Applies the pending operations to the backing file and fsyncs it. */
static int flush_to_backing(struct pending *p) {
    char rp[PATH_MAX];
    real_path(rp, p->path);
    int fd = open(rp, O_WRONLY);
    if (fd < 0) {
        return -errno;
    }
    for (struct op *o = p->head; o; o = o->next) {
        if (o->kind == OP_WRITE) {
            size_t done = 0;
            while (done < o->len) {
                ssize_t n = pwrite(fd, o->data + done, o->len - done, o->off + (off_t) done);
                if (n < 0) {
                    int e = errno;
                    close(fd);
                    return -e;
                }
                done += (size_t) n;
            }
        } else if (ftruncate(fd, o->off) < 0) {
            int e = errno;
            close(fd);
            return -e;
        }
        synced_ops++;
    }
    int rc = fsync(fd) < 0 ? -errno : 0;
    close(fd);
    if (rc == 0) {
        drop_ops(p);
    }
    return rc;
}

static int lfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi) {
    (void) fi;
    char rp[PATH_MAX];
    real_path(rp, path);
    if (lstat(rp, st) < 0) {
        return -errno;
    }
    pthread_mutex_lock(&lock);
    struct pending *p = find(path);
    if (p && p->head) {
        st->st_size = p->size;
        st->st_blocks = (p->size + 511) / 512;
    }
    pthread_mutex_unlock(&lock);
    return 0;
}

static int lfs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
                       enum fuse_readdir_flags flags) {
    (void) off; (void) fi; (void) flags;
    char rp[PATH_MAX];
    real_path(rp, path);
    DIR *d = opendir(rp);
    if (!d) {
        return -errno;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st = {0};
        st.st_ino = e->d_ino;
        st.st_mode = (mode_t) e->d_type << 12;
        if (fill(buf, e->d_name, &st, 0, 0)) {
            break;
        }
    }
    closedir(d);
    return 0;
}

static int lfs_mkdir(const char *path, mode_t mode) {
    char rp[PATH_MAX];
    real_path(rp, path);
    return mkdir(rp, mode) < 0 ? -errno : 0;
}

static int lfs_rmdir(const char *path) {
    char rp[PATH_MAX];
    real_path(rp, path);
    return rmdir(rp) < 0 ? -errno : 0;
}

static int lfs_unlink(const char *path) {
    char rp[PATH_MAX];
    real_path(rp, path);
    if (unlink(rp) < 0) {
        return -errno;
    }
    pthread_mutex_lock(&lock);
    forget(path);
    pthread_mutex_unlock(&lock);
    return 0;
}

static int lfs_rename(const char *from, const char *to, unsigned int flags) {
    if (flags) {
        return -EINVAL;
    }
    char rf[PATH_MAX], rt[PATH_MAX];
    real_path(rf, from);
    real_path(rt, to);
    pthread_mutex_lock(&lock);
    int rc = rename(rf, rt) < 0 ? -errno : 0;
    if (rc == 0) {
        forget(to);
        struct pending *p = find(from);
        if (p) {
            free(p->path);
            p->path = strdup(to);
        }
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

static int lfs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi) {
    (void) fi;
    char rp[PATH_MAX];
    real_path(rp, path);
    return chmod(rp, mode) < 0 ? -errno : 0;
}

static int lfs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi) {
    (void) fi;
    char rp[PATH_MAX];
    real_path(rp, path);
    return lchown(rp, uid, gid) < 0 ? -errno : 0;
}

static int lfs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi) {
    (void) fi;
    char rp[PATH_MAX];
    real_path(rp, path);
    return utimensat(AT_FDCWD, rp, tv, AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
}

static int lfs_truncate(const char *path, off_t size, struct fuse_file_info *fi) {
    (void) fi;
    pthread_mutex_lock(&lock);
    add_op(get(path), OP_TRUNCATE, size, NULL, 0);
    pthread_mutex_unlock(&lock);
    return 0;
}

static int lfs_open(const char *path, struct fuse_file_info *fi) {
    char rp[PATH_MAX];
    real_path(rp, path);
    int fd = open(rp, O_RDONLY);
    if (fd < 0) {
        return -errno;
    }
    close(fd);
    if (fi->flags & O_TRUNC) {
        lfs_truncate(path, 0, fi);
    }
    fi->direct_io = 0;
    fi->keep_cache = 0;
    return 0;
}

static int lfs_create(const char *path, mode_t mode, struct fuse_file_info *fi) {
    char rp[PATH_MAX];
    real_path(rp, path);
    int fd = open(rp, O_CREAT | O_WRONLY, mode);
    if (fd < 0) {
        return -errno;
    }
    close(fd);
    if (fi->flags & O_TRUNC) {
        lfs_truncate(path, 0, fi);
    }
    return 0;
}

static int lfs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void) fi;
    pthread_mutex_lock(&lock);
    struct pending *p = find(path);
    off_t logical = p && p->head ? p->size : backing_size(path);
    if (off >= logical) {
        pthread_mutex_unlock(&lock);
        return 0;
    }
    if (off + (off_t) size > logical) {
        size = (size_t) (logical - off);
    }
    memset(buf, 0, size);
    char rp[PATH_MAX];
    real_path(rp, path);
    int fd = open(rp, O_RDONLY);
    if (fd >= 0) {
        size_t done = 0;
        while (done < size) {
            ssize_t n = pread(fd, buf + done, size - done, off + (off_t) done);
            if (n <= 0) {
                break;
            }
            done += (size_t) n;
        }
        close(fd);
    }
    if (p) {
        /* replay in order: a write overlays its bytes, a truncate zeroes what lies beyond it */
        for (struct op *o = p->head; o; o = o->next) {
            if (o->kind == OP_WRITE) {
                off_t from = o->off > off ? o->off : off;
                off_t to = o->off + (off_t) o->len < off + (off_t) size ? o->off + (off_t) o->len : off + (off_t) size;
                if (from < to) {
                    memcpy(buf + (from - off), o->data + (from - o->off), (size_t) (to - from));
                }
            } else if (o->off < off + (off_t) size) {
                off_t from = o->off > off ? o->off : off;
                memset(buf + (from - off), 0, (size_t) (off + (off_t) size - from));
            }
        }
    }
    pthread_mutex_unlock(&lock);
    return (int) size;
}

static int lfs_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi) {
    (void) fi;
    pthread_mutex_lock(&lock);
    add_op(get(path), OP_WRITE, off, buf, size);
    pthread_mutex_unlock(&lock);
    return (int) size;
}

static int lfs_fsync(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) datasync; (void) fi;
    pthread_mutex_lock(&lock);
    struct pending *p = find(path);
    int rc = p && p->head ? flush_to_backing(p) : 0;
    pthread_mutex_unlock(&lock);
    return rc;
}

static int lfs_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi) {
    (void) path; (void) datasync; (void) fi;
    return 0;
}

static int lfs_flush(const char *path, struct fuse_file_info *fi) {
    (void) path; (void) fi;
    return 0; /* close() does not sync: unsynced data stays in memory */
}

static int lfs_release(const char *path, struct fuse_file_info *fi) {
    (void) path; (void) fi;
    return 0;
}

static int lfs_statfs(const char *path, struct statvfs *st) {
    char rp[PATH_MAX];
    real_path(rp, path);
    return statvfs(rp, st) < 0 ? -errno : 0;
}

static int lfs_access(const char *path, int mask) {
    char rp[PATH_MAX];
    real_path(rp, path);
    return access(rp, mask) < 0 ? -errno : 0;
}

static void *lfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg) {
    (void) conn;
    cfg->use_ino = 0;
    cfg->kernel_cache = 0;
    cfg->direct_io = 0;
    cfg->entry_timeout = 0;
    cfg->attr_timeout = 0;
    cfg->negative_timeout = 0;
    return NULL;
}

static const struct fuse_operations ops = {
    .init = lfs_init,
    .getattr = lfs_getattr,
    .readdir = lfs_readdir,
    .mkdir = lfs_mkdir,
    .rmdir = lfs_rmdir,
    .unlink = lfs_unlink,
    .rename = lfs_rename,
    .chmod = lfs_chmod,
    .chown = lfs_chown,
    .utimens = lfs_utimens,
    .truncate = lfs_truncate,
    .open = lfs_open,
    .create = lfs_create,
    .read = lfs_read,
    .write = lfs_write,
    .fsync = lfs_fsync,
    .fsyncdir = lfs_fsyncdir,
    .flush = lfs_flush,
    .release = lfs_release,
    .statfs = lfs_statfs,
    .access = lfs_access,
};

int main(int argc, char *argv[]) {
    if (argc < 3) {
        fprintf(stderr, "usage: lossyfs BACKING_DIR MOUNTPOINT [FUSE options]\n");
        return 2;
    }
    backing = realpath(argv[1], NULL);
    if (!backing) {
        perror(argv[1]);
        return 2;
    }
    /* FUSE gets: program name, mountpoint, options */
    char **fargs = calloc((size_t) argc, sizeof *fargs);
    fargs[0] = argv[0];
    for (int i = 2; i < argc; i++) {
        fargs[i - 1] = argv[i];
    }
    return fuse_main(argc - 1, fargs, &ops, NULL);
}
