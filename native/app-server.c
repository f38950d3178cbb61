/*
 * app-server: the benchmark's app on the local platform, native build (src/platforms/local/app-server.ts is the
 * JavaScript fallback with the same interface). A keep-alive HTTP/1.1 server that holds every request for
 * exactly --delay-ms (the spec's app.delayMs, the service time a known-answer run reads back) and answers 200
 * with `?size=N` bytes.
 *
 * Why native: Node's http server added 0.2-0.4 ms and its own tail to every request, and setTimeout(5) held a
 * request for about 6.1 ms (it fires on the next millisecond tick after the delay, late by the event loop's
 * lag). Here one thread waits in epoll_pwait2 with 1 ns timer slack until just before the earliest deadline
 * (early-wake.h: by how late its own wake-ups have been), spins the rest, and writes the response at the
 * deadline.
 *
 *   app-server --port <0 for any> --delay-ms <ms, may be fractional> [--host 127.0.0.1]
 *
 * Prints `{"event":"listening","port":N}` on stdout when ready. `GET /.meshbench/stats` answers
 * `{"requests":R,"connections":C}` at once (requests served and connections accepted, stats excluded). Exits on
 * SIGTERM/SIGINT, when stdin closes, or with its parent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "early-wake.h"

#define MAX_SIZE (16 * 1024 * 1024) /* the spec's payloadBytes upper bound (src/spec/schema.ts) */
#define REQ_MAX 65536

typedef struct conn {
  int fd;
  int waiting;        /* a request is held until `due` */
  int close_after;    /* the request asked for Connection: close (or was HTTP/1.0 without keep-alive) */
  uint64_t due;
  size_t size;        /* body bytes of the held request's response */
  int heap_at;        /* index in the deadline heap, -1 when not in it */
  char buf[REQ_MAX];
  size_t len;         /* bytes of unparsed request data in buf */
  long long body_left; /* request body bytes still to discard */
  /* the response being written (large bodies may not fit the socket buffer at once) */
  size_t out_head_len, out_head_sent, out_body_left;
  char out_head[256];
} conn_t;

static int epfd, listen_fd;
static uint64_t delay_ns;
static unsigned long long served, accepted;
static char *zeros; /* body bytes ('x'), grown to the largest body asked for so far */
static size_t zeros_len;
static conn_t **heap;
static int heap_len, heap_cap;
static volatile sig_atomic_t stopping;
static early_wake_t wake;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

/* ---- deadline heap (earliest first) -------------------------------------------------------------------- */

static void heap_swap(int a, int b) {
  conn_t *t = heap[a];
  heap[a] = heap[b];
  heap[b] = t;
  heap[a]->heap_at = a;
  heap[b]->heap_at = b;
}

static void heap_up(int i) {
  while (i > 0 && heap[(i - 1) / 2]->due > heap[i]->due) {
    heap_swap(i, (i - 1) / 2);
    i = (i - 1) / 2;
  }
}

static void heap_down(int i) {
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < heap_len && heap[l]->due < heap[m]->due) m = l;
    if (r < heap_len && heap[r]->due < heap[m]->due) m = r;
    if (m == i) return;
    heap_swap(i, m);
    i = m;
  }
}

static void heap_push(conn_t *c) {
  if (heap_len == heap_cap) {
    heap_cap = heap_cap ? heap_cap * 2 : 1024;
    heap = realloc(heap, (size_t)heap_cap * sizeof *heap);
    if (!heap) exit(1);
  }
  heap[heap_len] = c;
  c->heap_at = heap_len++;
  heap_up(c->heap_at);
}

static void heap_remove(conn_t *c) {
  int i = c->heap_at;
  if (i < 0) return;
  heap_len--;
  if (i != heap_len) {
    heap[i] = heap[heap_len];
    heap[i]->heap_at = i;
    heap_down(i);
    heap_up(i);
  }
  c->heap_at = -1;
}

/* ---- connections ---------------------------------------------------------------------------------------- */

static void drop(conn_t *c) {
  heap_remove(c);
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  free(c);
}

static void handle_input(conn_t *c);

/* Writes what is left of the current response; 1 when all of it is out, 0 when the socket is full, -1 on error. */
static int flush(conn_t *c) {
  while (c->out_head_sent < c->out_head_len) {
    ssize_t w = send(c->fd, c->out_head + c->out_head_sent, c->out_head_len - c->out_head_sent,
                     MSG_NOSIGNAL | (c->out_body_left ? MSG_MORE : 0));
    if (w < 0) return errno == EAGAIN ? 0 : -1;
    c->out_head_sent += (size_t)w;
  }
  while (c->out_body_left > 0) {
    ssize_t w = send(c->fd, zeros, c->out_body_left, MSG_NOSIGNAL);
    if (w < 0) return errno == EAGAIN ? 0 : -1;
    c->out_body_left -= (size_t)w;
  }
  return 1;
}

/* Makes sure `size` body bytes exist; false when memory ran out. */
static int ensure_body(size_t size) {
  if (size <= zeros_len) return 1;
  size_t want = size < 65536 ? 65536 : size;
  if (want < 2 * zeros_len && 2 * zeros_len <= MAX_SIZE) want = 2 * zeros_len;
  char *p = realloc(zeros, want);
  if (!p) return 0;
  memset(p + zeros_len, 'x', want - zeros_len);
  zeros = p;
  zeros_len = want;
  return 1;
}

static void respond(conn_t *c) {
  c->waiting = 0;
  if (!ensure_body(c->size)) {
    drop(c);
    return;
  }
  c->out_head_len = (size_t)snprintf(c->out_head, sizeof c->out_head,
                                     "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %zu\r\n%s\r\n",
                                     c->size, c->close_after ? "Connection: close\r\n" : "");
  c->out_head_sent = 0;
  c->out_body_left = c->size;
  served++;
  int r = flush(c);
  if (r < 0 || (r == 1 && c->close_after)) {
    drop(c);
    return;
  }
  if (r == 0) { /* the rest when the socket drains */
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    return;
  }
  handle_input(c); /* a pipelined request may already be buffered */
}

static void stats(conn_t *c) {
  char body[128];
  int n = snprintf(body, sizeof body, "{\"requests\":%llu,\"connections\":%llu}", served, accepted);
  c->out_head_len = (size_t)snprintf(c->out_head, sizeof c->out_head,
                                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", n, body);
  c->out_head_sent = 0;
  c->out_body_left = 0;
  if (flush(c) != 1) drop(c);
}

/* `?size=N` (or `&size=N`) in the request target -> N clamped to [0, 16 MiB]; anything else -> 0. */
static size_t size_of(const char *target, size_t len) {
  for (size_t i = 0; i + 6 <= len; i++) {
    if ((target[i] == '?' || target[i] == '&') && !strncmp(target + i + 1, "size=", 5)) {
      size_t j = i + 6;
      unsigned long long v = 0;
      int digits = 0;
      while (j < len && target[j] >= '0' && target[j] <= '9') {
        if (v < MAX_SIZE) v = v * 10 + (unsigned)(target[j] - '0');
        j++;
        digits++;
      }
      if (!digits) return 0;
      return v > MAX_SIZE ? MAX_SIZE : (size_t)v;
    }
  }
  return 0;
}

/* Parses the next complete request in the buffer, if any, and holds it until its deadline. */
static void handle_input(conn_t *c) {
  while (!c->waiting && c->out_head_sent == c->out_head_len && c->out_body_left == 0) {
    if (c->body_left > 0) { /* discard a request body */
      size_t take = c->len < (size_t)c->body_left ? c->len : (size_t)c->body_left;
      memmove(c->buf, c->buf + take, c->len - take);
      c->len -= take;
      c->body_left -= (long long)take;
      if (c->body_left > 0) return;
    }
    char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!end) {
      if (c->len >= REQ_MAX) drop(c);
      return;
    }
    size_t head = (size_t)(end - c->buf) + 4;
    char *sp1 = memchr(c->buf, ' ', head), *sp2 = sp1 ? memchr(sp1 + 1, ' ', head - (size_t)(sp1 + 1 - c->buf)) : NULL;
    if (!sp1 || !sp2) {
      drop(c);
      return;
    }
    const char *target = sp1 + 1;
    size_t target_len = (size_t)(sp2 - target);
    int http10 = !strncmp(sp2 + 1, "HTTP/1.0", 8);
    c->close_after = http10;
    c->body_left = 0;
    /* Headers that matter: Connection, Content-Length (a body to skip). Chunked request bodies are refused. */
    for (char *l = memchr(c->buf, '\n', head); l && l + 1 < c->buf + head;) {
      char *s = l + 1, *e = memchr(s, '\n', (size_t)(c->buf + head - s));
      if (!e) break;
      if (!strncasecmp(s, "connection:", 11)) {
        char *v = s + 11;
        while (*v == ' ' || *v == '\t') v++;
        if (!strncasecmp(v, "close", 5)) c->close_after = 1;
        if (!strncasecmp(v, "keep-alive", 10)) c->close_after = 0;
      } else if (!strncasecmp(s, "content-length:", 15)) {
        c->body_left = atoll(s + 15);
      } else if (!strncasecmp(s, "transfer-encoding:", 18)) {
        drop(c);
        return;
      }
      l = e;
    }
    int is_stats = target_len >= 17 && !strncmp(target, "/.meshbench/stats", 17);
    c->size = size_of(target, target_len);
    memmove(c->buf, c->buf + head, c->len - head);
    c->len -= head;
    if (is_stats) {
      stats(c);
      continue;
    }
    if (delay_ns == 0) {
      respond(c);
      return; /* respond() reads on */
    }
    c->waiting = 1;
    c->due = now_ns() + delay_ns;
    heap_push(c);
  }
}

static void on_readable(conn_t *c) {
  for (;;) {
    if (c->len == REQ_MAX) { /* a head larger than we accept */
      drop(c);
      return;
    }
    ssize_t r = read(c->fd, c->buf + c->len, REQ_MAX - c->len);
    if (r < 0 && errno == EAGAIN) break;
    if (r <= 0) {
      drop(c);
      return;
    }
    c->len += (size_t)r;
  }
  handle_input(c);
}

static void on_accept(void) {
  for (;;) {
    int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    conn_t *c = calloc(1, sizeof *c);
    if (!c) {
      close(fd);
      continue;
    }
    c->fd = fd;
    c->heap_at = -1;
    accepted++;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
  }
}

int main(int argc, char **argv) {
  long port = 0;
  double delay_ms = 0;
  const char *host = "127.0.0.1";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--port")) port = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "--delay-ms")) delay_ms = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--host")) host = argv[i + 1];
    else {
      fprintf(stderr, "app-server: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  if (port < 0 || port > 65535 || !(delay_ms >= 0) || delay_ms > 600000) {
    fprintf(stderr, "app-server: --port 0..65535, --delay-ms 0..600000\n");
    return 2;
  }
  delay_ns = (uint64_t)(delay_ms * 1e6 + 0.5);
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  if (!ensure_body(65536)) return 1;

  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
    fprintf(stderr, "app-server: --host must be an IPv4 address\n");
    return 2;
  }
  listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listen_fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(listen_fd, 4096) < 0) {
    fprintf(stderr, "app-server: cannot listen on %s:%ld: %s\n", host, port, strerror(errno));
    return 1;
  }
  socklen_t al = sizeof addr;
  getsockname(listen_fd, (struct sockaddr *)&addr, &al);
  epfd = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
  epoll_ctl(epfd, EPOLL_CTL_ADD, listen_fd, &ev);
  /* stdin: its end (the parent is gone or closed it) stops the server. */
  static conn_t stdin_marker;
  struct epoll_event sev = {.events = EPOLLIN | EPOLLHUP | EPOLLRDHUP, .data.ptr = &stdin_marker};
  int watch_stdin = epoll_ctl(epfd, EPOLL_CTL_ADD, 0, &sev) == 0;
  printf("{\"event\":\"listening\",\"port\":%d}\n", ntohs(addr.sin_port));
  fflush(stdout);

  struct epoll_event evs[256];
  ew_init(&wake);
  while (!stopping) {
    struct timespec ts = {1, 0}; /* at most a second, to notice a signal */
    uint64_t now = now_ns(), aim = 0;
    if (heap_len > 0) {
      uint64_t due = heap[0]->due;
      aim = due > wake.margin ? due - wake.margin : 0;
      uint64_t wait = aim > now ? aim - now : 0;
      ts.tv_sec = (time_t)(wait / 1000000000ull);
      ts.tv_nsec = (long)(wait % 1000000000ull);
      if (wait == 0) aim = 0; /* no sleep, nothing to learn */
    }
    int n = epoll_pwait2(epfd, evs, 256, &ts, NULL);
    if (n < 0 && errno != EINTR) break;
    if (n == 0 && aim) ew_record(&wake, aim, now_ns());
    for (int e = 0; e < n; e++) {
      conn_t *c = evs[e].data.ptr;
      if (!c) {
        on_accept();
        continue;
      }
      if (c == &stdin_marker) {
        char b[256];
        ssize_t r = read(0, b, sizeof b);
        if (r <= 0 && !(r < 0 && errno == EAGAIN)) stopping = 1;
        continue;
      }
      if ((evs[e].events & EPOLLOUT) && (c->out_head_sent < c->out_head_len || c->out_body_left > 0)) {
        int r = flush(c);
        if (r < 0 || (r == 1 && c->close_after)) {
          drop(c);
          continue;
        }
        if (r == 0) continue;
        struct epoll_event mev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &mev);
        handle_input(c);
        continue;
      }
      if (evs[e].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) on_readable(c);
    }
    /* Answer every request whose time has come; spin for one due within the early-wake margin. */
    while (heap_len > 0) {
      uint64_t due = heap[0]->due;
      uint64_t t = now_ns();
      if (due > t + wake.margin) break;
      while (t < due) t = now_ns();
      conn_t *c = heap[0];
      heap_remove(c);
      respond(c);
    }
  }
  (void)watch_stdin;
  return 0;
}
