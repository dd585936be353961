/*
 * fcgi-floor.c: the cheapest FastCGI responder we could write, for bench/fpm.sh.
 *
 * It answers every request with the bytes Manaknight sends for GET /hello (the same CGI head
 * and body) and does nothing else: no routing, no parsing beyond the record framing, no
 * allocation on the hot path. One thread, one epoll set, connections accepted until EAGAIN and
 * read at once (nginx has usually written the whole request before the accept returns), answered
 * in one write(2) and closed, as FCGI_KEEP_CONN off asks.
 *
 * What it is for: with fastcgi_keep_conn off, nginx pays for a new upstream connection per
 * request. If this responder gets no more requests per second through nginx than Manaknight does,
 * the limit of that row is nginx (and the machine it shares), not the backend.
 *
 * Not a server: a request that does not fit in BUF_SIZE, or anything else unexpected, closes the
 * connection. Build: cc -O2 -o fcgi-floor fcgi-floor.c; run: fcgi-floor /path/to.sock
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define BUF_SIZE 8192
#define MAX_FD 65536

enum { FCGI_END_REQUEST = 3, FCGI_STDIN = 5, FCGI_STDOUT = 6 };

static const char HEAD_AND_BODY[] =
    "Status: 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "X-Request-Id: floor-0000\r\n"
    "Content-Length: 19\r\n"
    "\r\n"
    "{\"message\":\"hello\"}";

typedef struct {
    unsigned char data[BUF_SIZE];
    int length;
} Pending;

static Pending *pending[MAX_FD];   /* a connection whose request had not all arrived */

/* Returns the request id once the empty FCGI_STDIN record (the end of the request) is in buf,
 * 0 while more is needed, -1 for framing that cannot be right. */
static int request_complete(const unsigned char *buf, int length) {
    int at = 0, id = 0;
    while (at + 8 <= length) {
        if (buf[at] != 1) return -1;
        int type = buf[at + 1];
        int content = (buf[at + 4] << 8) | buf[at + 5];
        int padding = buf[at + 6];
        if (id == 0) id = (buf[at + 2] << 8) | buf[at + 3];
        if (at + 8 + content + padding > length) return 0;
        if (type == FCGI_STDIN && content == 0) return id > 0 ? id : -1;
        at += 8 + content + padding;
    }
    return 0;
}

/* STDOUT (head and body, padded to 8), empty STDOUT, END_REQUEST: one write. */
static int answer(int fd, int id, const unsigned char *stdout_records, int records_length) {
    unsigned char out[512];
    memcpy(out, stdout_records, records_length);
    for (int at = 0; at < records_length; at += 8) {   /* every record header's request id */
        int content = (out[at + 4] << 8) | out[at + 5];
        out[at + 2] = (unsigned char) (id >> 8);
        out[at + 3] = (unsigned char) id;
        at += content + out[at + 6];
    }
    return write(fd, out, records_length) == records_length ? 0 : -1;
}

static int build_records(unsigned char *out) {
    int content = (int) sizeof HEAD_AND_BODY - 1;
    int padding = (8 - content % 8) % 8;
    int n = 0;
    unsigned char stdout_header[8] = {1, FCGI_STDOUT, 0, 1, content >> 8, content & 255, padding, 0};
    memcpy(out + n, stdout_header, 8); n += 8;
    memcpy(out + n, HEAD_AND_BODY, content); n += content;
    memset(out + n, 0, padding); n += padding;
    unsigned char end_stdout[8] = {1, FCGI_STDOUT, 0, 1, 0, 0, 0, 0};
    memcpy(out + n, end_stdout, 8); n += 8;
    unsigned char end_request[16] = {1, FCGI_END_REQUEST, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    memcpy(out + n, end_request, 16); n += 16;
    return n;
}

static void finish(int epoll, int fd) {
    if (pending[fd] != NULL) {
        epoll_ctl(epoll, EPOLL_CTL_DEL, fd, NULL);
        free(pending[fd]);
        pending[fd] = NULL;
    }
    close(fd);
}

int main(int argc, char **argv) {
    if (argc != 2 || strlen(argv[1]) >= sizeof ((struct sockaddr_un *) 0)->sun_path) {
        fprintf(stderr, "usage: fcgi-floor /path/to.sock\n");
        return 64;
    }
    signal(SIGPIPE, SIG_IGN);   /* nginx may close first (client gone): write fails, we go on */

    unsigned char records[512];
    int records_length = build_records(records);

    int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strcpy(address.sun_path, argv[1]);
    unlink(argv[1]);
    if (listener < 0 || bind(listener, (struct sockaddr *) &address, sizeof address) != 0
            || listen(listener, 511) != 0 || chmod(argv[1], 0666) != 0) {
        perror(argv[1]);
        return 1;
    }

    int epoll = epoll_create1(0);
    struct epoll_event event = {.events = EPOLLIN, .data.fd = listener};
    epoll_ctl(epoll, EPOLL_CTL_ADD, listener, &event);
    struct epoll_event ready[256];
    unsigned char buf[BUF_SIZE];

    for (;;) {
        int count = epoll_wait(epoll, ready, 256, -1);
        for (int i = 0; i < count; i++) {
            int fd = ready[i].data.fd;
            if (fd == listener) {
                int connection;
                while ((connection = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (connection >= MAX_FD) { close(connection); continue; }
                    int n = (int) read(connection, buf, sizeof buf);
                    int id = n > 0 ? request_complete(buf, n) : 0;
                    if (id > 0) {
                        answer(connection, id, records, records_length);
                        close(connection);
                    } else if (id < 0 || n == 0 || (n < 0 && errno != EAGAIN)) {
                        close(connection);
                    } else {
                        Pending *p = malloc(sizeof *p);
                        p->length = n > 0 ? n : 0;
                        memcpy(p->data, buf, p->length);
                        pending[connection] = p;
                        struct epoll_event wanted = {.events = EPOLLIN, .data.fd = connection};
                        epoll_ctl(epoll, EPOLL_CTL_ADD, connection, &wanted);
                    }
                }
                continue;
            }
            Pending *p = pending[fd];
            int n = (int) read(fd, p->data + p->length, BUF_SIZE - p->length);
            if (n < 0 && errno == EAGAIN) continue;
            if (n <= 0) { finish(epoll, fd); continue; }
            p->length += n;
            int id = request_complete(p->data, p->length);
            if (id > 0) answer(fd, id, records, records_length);
            if (id != 0 || p->length == BUF_SIZE) finish(epoll, fd);
        }
    }
}
