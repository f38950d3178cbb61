/*
 * refclient: the open-model reference client of `npm run bench`, the yardstick for meshbench's own engine.
 *
 * Arrival i is intended at t0 + i / rate, whatever happened to earlier arrivals. Each arrival takes the first
 * free keep-alive connection (one request per connection at a time, no pipelining) or waits in a FIFO for one.
 * Latency is timed from the intended send time (coordinated-omission corrected), service time from the moment
 * the request was written. Percentiles are exact (nearest rank over every sample, sorted), not bucketed.
 * One thread, epoll, no allocation after start-up; the wait for the next arrival sleeps in epoll_pwait2 until
 * SPIN_US before it (timer slack 1 ns) and spins the rest, so sends leave on time.
 *
 *   refclient --url http://127.0.0.1:8080/?size=1024 --rate 500 --duration 8 --warmup 2 --connections 9
 *             [--timeout-ms 5000] [--spin-us 50] [--cpu N]
 *
 * Prints one JSON object on stdout. Sends only to loopback addresses; stops by itself.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HDR_MAX 8192
#define MAX_EVENTS 256

enum { IDLE, BUSY, CONNECTING, CLOSED };

typedef struct {
  int fd;
  int state;
  long arrival;        /* arrival index carried, when BUSY */
  uint64_t wire_ns;    /* when its request was written */
  char hdr[HDR_MAX];
  size_t hdr_len;
  long body_left;      /* -1 while reading the header */
  int status;
  int listed;          /* in the free FIFO */
} conn_t;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *msg) {
  fprintf(stderr, "refclient: %s\n", msg);
  exit(2);
}

static struct sockaddr_in addr;
static char request[1024];
static size_t request_len;
static int epfd;

static int open_conn(conn_t *c) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  int r = connect(fd, (struct sockaddr *)&addr, sizeof addr);
  if (r < 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  c->fd = fd;
  c->state = CONNECTING;
  c->hdr_len = 0;
  c->body_left = -1;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.ptr = c};
  epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
  return 0;
}

static void close_conn(conn_t *c) {
  if (c->fd >= 0) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
  }
  c->fd = -1;
  c->state = CLOSED;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest value with at least p% of the samples at or below it. */
static double pct_us(const uint64_t *sorted, size_t n, double p) {
  if (n == 0) return -1;
  size_t rank = (size_t)((p / 100.0) * (double)n + 0.999999999);
  if (rank < 1) rank = 1;
  if (rank > n) rank = n;
  return (double)sorted[rank - 1] / 1000.0;
}

static void print_dist(const char *name, uint64_t *v, size_t n, int last) {
  qsort(v, n, sizeof *v, cmp_u64);
  printf("\"%s\":{\"count\":%zu,\"p50\":%.1f,\"p90\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f}%s", name, n,
         pct_us(v, n, 50), pct_us(v, n, 90), pct_us(v, n, 99), pct_us(v, n, 99.9), pct_us(v, n, 100),
         last ? "" : ",");
}

int main(int argc, char **argv) {
  const char *url = NULL;
  double rate = 0, duration = 0, warmup = 0;
  long connections = 1, timeout_ms = 5000, spin_us = 50, cpu = -1;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--url")) url = argv[i + 1];
    else if (!strcmp(argv[i], "--rate")) rate = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--duration")) duration = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--warmup")) warmup = atof(argv[i + 1]);
    else if (!strcmp(argv[i], "--connections")) connections = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "--timeout-ms")) timeout_ms = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "--spin-us")) spin_us = atol(argv[i + 1]);
    else if (!strcmp(argv[i], "--cpu")) cpu = atol(argv[i + 1]);
    else die("unknown option (see the header of refclient.c)");
  }
  if (!url || rate <= 0 || duration <= 0 || warmup < 0 || connections < 1 || connections > 4096)
    die("usage: --url http://127.0.0.1:PORT/path --rate R --duration S [--warmup S] [--connections N]");
  if (rate * (warmup + duration) > 50e6) die("too many arrivals");

  /* http://HOST:PORT/PATH, loopback only. */
  char host[256];
  int port = 80;
  const char *path = "/";
  if (strncmp(url, "http://", 7)) die("only http:// URLs");
  const char *h = url + 7, *slash = strchr(h, '/'), *colon = strchr(h, ':');
  size_t hl = (colon && (!slash || colon < slash)) ? (size_t)(colon - h) : (slash ? (size_t)(slash - h) : strlen(h));
  if (hl >= sizeof host) die("host too long");
  memcpy(host, h, hl);
  host[hl] = 0;
  if (colon && (!slash || colon < slash)) port = atoi(colon + 1);
  if (slash) path = slash;
  if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) die("host must be an IPv4 address or localhost");
  if ((ntohl(addr.sin_addr.s_addr) >> 24) != 127) die("refusing to send load outside 127.0.0.0/8");
  request_len = (size_t)snprintf(request, sizeof request,
                                 "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: meshbench-refclient\r\n\r\n", path,
                                 host, port);

  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((int)cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
  }
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

  const long first = (long)(warmup * rate + 0.999999999); /* first arrival at or after the window opens */
  const long total = (long)((warmup + duration) * rate + 0.999999999);
  const long measured = total - first;
  const double period_ns = 1e9 / rate;
  uint64_t *lat = calloc((size_t)measured + 1, sizeof *lat);
  uint64_t *svc = calloc((size_t)measured + 1, sizeof *svc);
  uint64_t *late = calloc((size_t)measured + 1, sizeof *late);
  long *queue = calloc((size_t)total + 1, sizeof *queue);
  conn_t *conns = calloc((size_t)connections, sizeof *conns);
  conn_t **freeq = calloc((size_t)connections + 1, sizeof *freeq);
  if (!lat || !svc || !late || !queue || !conns || !freeq) die("out of memory");

  epfd = epoll_create1(EPOLL_CLOEXEC);
  for (long k = 0; k < connections; k++)
    if (open_conn(&conns[k]) < 0) die("cannot connect");

  /* Wait until every connection is established, then start the clock. */
  struct epoll_event evs[MAX_EVENTS];
  long connected = 0;
  uint64_t give_up = now_ns() + 5000000000ull;
  while (connected < connections) {
    if (now_ns() > give_up) die("connections not established within 5 s");
    int n = epoll_wait(epfd, evs, MAX_EVENTS, 100);
    for (int e = 0; e < n; e++) {
      conn_t *c = evs[e].data.ptr;
      if (c->state != CONNECTING) continue;
      int err = 0;
      socklen_t el = sizeof err;
      getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
      if (err) die("connection refused");
      c->state = IDLE;
      struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
      epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
      connected++;
    }
  }
  /* Free connections in a FIFO, so requests rotate over all of them. */
  long fq_head = 0, fq_tail = 0, fq_cap = connections + 1;
#define RELEASE(c)                    \
  do {                                \
    if (!(c)->listed) {               \
      (c)->listed = 1;                \
      freeq[fq_tail++ % fq_cap] = (c); \
    }                                 \
  } while (0)
  for (long k = 0; k < connections; k++) RELEASE(&conns[k]);
  long q_head = 0, q_tail = 0; /* arrivals waiting for a connection */

  long next = 0, ok = 0, errors = 0, timeouts = 0, completed_measured = 0, issued_measured = 0;
  const uint64_t spin_ns = (uint64_t)spin_us * 1000ull;
  const uint64_t t0 = now_ns() + 1000000ull;
  const uint64_t timeout_ns = (uint64_t)timeout_ms * 1000000ull;
  const uint64_t window_start = t0 + (uint64_t)(warmup * 1e9), window_end = t0 + (uint64_t)((warmup + duration) * 1e9);
  uint64_t last_completion = window_start;

#define INTENDED(i) (t0 + (uint64_t)((double)(i) * period_ns))
#define RECORD_ERR(i)                                  \
  do {                                                 \
    if ((i) >= first) { errors++; completed_measured++; } \
  } while (0)

  for (;;) {
    uint64_t now = now_ns();
    /* Every arrival that is due joins the queue, then the queue goes onto free connections. */
    while (next < total && INTENDED(next) <= now) {
      queue[q_tail++] = next;
      if (next >= first) issued_measured++;
      next++;
    }
    while (q_head < q_tail && fq_head != fq_tail) {
      conn_t *c = freeq[fq_head++ % fq_cap];
      c->listed = 0;
      if (c->state == CLOSED && open_conn(c) < 0) {
        RECORD_ERR(queue[q_head]);
        q_head++;
        RELEASE(c);
        continue;
      }
      c->arrival = queue[q_head++];
      c->hdr_len = 0;
      c->body_left = -1;
      if (c->state == CONNECTING) {
        c->state = BUSY; /* written once connected (EPOLLOUT below) */
        c->wire_ns = 0;
        continue;
      }
      c->state = BUSY;
      c->wire_ns = now_ns();
      if (write(c->fd, request, request_len) != (ssize_t)request_len) {
        RECORD_ERR(c->arrival);
        close_conn(c);
        RELEASE(c);
      }
    }
    if (next >= total && completed_measured >= issued_measured && q_head == q_tail) break;

    /* Sleep until SPIN_US before the next arrival (or 1 ms at most once all are issued), then spin. */
    now = now_ns();
    int64_t wait_ns = next < total ? (int64_t)(INTENDED(next) - now) : 1000000;
    if (next >= total && now > window_end + timeout_ns) {
      /* Whatever is still open has timed out. */
      for (long k = 0; k < connections; k++)
        if (conns[k].state == BUSY) {
          if (conns[k].arrival >= first) { timeouts++; errors++; completed_measured++; }
          close_conn(&conns[k]);
        }
      errors += q_tail - q_head;
      completed_measured += q_tail - q_head;
      break;
    }
    struct timespec ts = {0, 0};
    if (wait_ns > (int64_t)spin_ns) {
      int64_t sleep_ns = wait_ns - (int64_t)spin_ns;
      ts.tv_sec = sleep_ns / 1000000000;
      ts.tv_nsec = sleep_ns % 1000000000;
    }
    int n = epoll_pwait2(epfd, evs, MAX_EVENTS, &ts, NULL);
    uint64_t at = now_ns();
    for (int e = 0; e < n; e++) {
      conn_t *c = evs[e].data.ptr;
      if (c->state == BUSY && c->wire_ns == 0 && (evs[e].events & EPOLLOUT)) {
        /* A reconnect finished: write the request it was holding. */
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
        c->wire_ns = at;
        if (write(c->fd, request, request_len) != (ssize_t)request_len) goto failed;
        continue;
      }
      if (c->state == CONNECTING && (evs[e].events & EPOLLOUT)) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
        epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
        c->state = IDLE;
        continue;
      }
      if (!(evs[e].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) continue;
      for (;;) {
        char buf[65536];
        ssize_t r = read(c->fd, buf, sizeof buf);
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (r <= 0) goto failed;
        if (c->state != BUSY) goto failed; /* bytes nobody asked for */
        size_t used = 0;
        if (c->body_left < 0) {
          size_t take = (size_t)r;
          if (c->hdr_len + take > HDR_MAX - 1) take = HDR_MAX - 1 - c->hdr_len;
          memcpy(c->hdr + c->hdr_len, buf, take);
          c->hdr_len += take;
          c->hdr[c->hdr_len] = 0;
          char *end = strstr(c->hdr, "\r\n\r\n");
          if (!end) {
            if (c->hdr_len >= HDR_MAX - 1) goto failed;
            continue;
          }
          size_t head = (size_t)(end - c->hdr) + 4;
          c->status = atoi(c->hdr + 9);
          char *cl = strcasestr(c->hdr, "\r\ncontent-length:");
          if (!cl || cl > end) goto failed; /* the targets always send Content-Length */
          long body = atol(cl + 17);
          /* Bytes of this read past the header belong to the body. */
          used = head - (c->hdr_len - take);
          c->body_left = body - (long)((size_t)r - used);
        } else {
          c->body_left -= r;
        }
        if (c->body_left == 0) {
          long i = c->arrival;
          if (i >= first) {
            long j = i - first;
            uint64_t intended = INTENDED(i);
            lat[j] = at - intended;
            svc[j] = at - c->wire_ns;
            late[j] = c->wire_ns > intended ? c->wire_ns - intended : 0;
            if (c->status >= 200 && c->status < 400) ok++;
            else errors++;
            completed_measured++;
            last_completion = at;
          }
          c->state = IDLE;
          c->body_left = -1;
          RELEASE(c);
        } else if (c->body_left < 0) {
          goto failed; /* more bytes than the response announced */
        }
      }
      continue;
    failed:
      if (c->state == BUSY) RECORD_ERR(c->arrival);
      close_conn(c);
      RELEASE(c);
    }
    /* Requests open longer than the timeout count as errors; their connection is dropped. */
    for (long k = 0; k < connections; k++) {
      conn_t *c = &conns[k];
      if (c->state == BUSY && c->wire_ns && at - c->wire_ns > timeout_ns) {
        if (c->arrival >= first) { timeouts++; errors++; completed_measured++; }
        close_conn(c);
        RELEASE(c);
      }
    }
    (void)last_completion;
  }

  /* Only completed responses have latencies; keep those. */
  size_t n = 0;
  for (long j = 0; j < measured; j++)
    if (lat[j]) {
      lat[n] = lat[j];
      svc[n] = svc[j];
      late[n] = late[j];
      n++;
    }
  printf("{\"requests\":%ld,\"ok\":%ld,\"errors\":%ld,\"timeouts\":%ld,\"measureSec\":%.3f,\"achievedRps\":%.2f,",
         measured, ok, errors, timeouts, duration, (double)measured / duration);
  print_dist("latencyUs", lat, n, 0);
  print_dist("serviceUs", svc, n, 0);
  print_dist("sendLateUs", late, n, 1);
  printf("}\n");
  for (long k = 0; k < connections; k++) close_conn(&conns[k]);
  return 0;
}
