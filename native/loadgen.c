/*
 * loadgen: the native core of meshbench's builtin engine (src/engines/builtin/native-core.ts drives it).
 *
 * The same open model as the JavaScript generator (load-generator.ts): arrival i is intended at t0 + i/rate ms,
 * sent on a free keep-alive connection of its pool (one request per connection at a time) or queued for one,
 * dropped when max-in-flight requests are outstanding; latency runs from the intended send time, service time
 * from the moment the request was written. It exists because a JavaScript thread's own cost (event-loop
 * wake-ups, callbacks, garbage collection) was 2-4x an open-loop C client's latency at p50 and more at p99 on a
 * 2-core VM (docs/PERFORMANCE.md): here one thread waits in epoll_pwait2 with 1 ns timer slack until just
 * before each arrival (early-wake.h: by how late its own wake-ups have been), spins the rest, and touches no
 * allocator after start-up.
 *
 *   loadgen --rate R --warmup-ms W --duration-ms D --first F --end E --max-in-flight M --timeout-ms T
 *           --progress-ms P [--cpu N] [--requests-per-connection K]
 *           --pool IPV4 PORT CONNECTIONS HOST-HEADER PATH [--pool ...]
 *
 * With K, a connection is closed once it has carried K responses and the slot's next request opens another
 * (connection churn; the set-up is inside that request's latency, which runs from its intended send time).
 * F and E are the first measured arrival and one past the last (arrival-schedule.ts computes them, so both
 * generators agree on which arrivals count). Output, stdout, one line each:
 *   S                         the measure window opened
 *   E                         the measure window closed
 *   P <ms> <sent> <completed> progress, every P ms
 *   R <json>                  counts, once at the end
 * and on fd 3, after R: one record per measured request, two little-endian uint32 each, latency and service
 * time in microseconds. Exit 0 when done, 2 on a bad plan (message on stderr). It dies with its parent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
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

/* ---- plan ---------------------------------------------------------------------------------------------- */

typedef struct {
  struct sockaddr_in addr;
  char *request;
  size_t request_len;
  int nslots;
  int first_slot;
  /* Free slots in the order they became free (requests rotate over every connection). */
  int *free_ring, free_head, free_len;
  /* Flights waiting for a free slot, oldest first (a list, so a timeout can take one out from the middle). */
  int queue_head, queue_tail;
} pool_t;

static double rate, warmup_ms, duration_ms;
static long first_measured, end_measured, max_in_flight, progress_ms = 250;
static long requests_per_connection; /* 0: keep-alive for the whole run */
static uint64_t timeout_ns;
static pool_t *pools;
static int npools, nslots_total;

/* ---- connections ----------------------------------------------------------------------------------------- */

enum { NOCONN, CONNECTING, IDLE, BUSY };
enum { AT_HEAD, AT_LENGTH, AT_CHUNK_SIZE, AT_CHUNK_DATA, AT_CHUNK_END, AT_TRAILER, AT_UNTIL_CLOSE };
enum { K_TIMEOUT, K_RESET, K_REFUSED, K_OTHER, K_COUNT };
static const char *kind_names[K_COUNT] = {"timeout", "reset", "refused", "other"};

#define HEAD_MAX 32768
#define LINE_MAX_BYTES 4096

typedef struct {
  int fd;
  int state;
  int pool;
  int flight; /* -1 when none */
  int listed; /* in its pool's free ring */
  long answered; /* responses completed on the current connection */
  /* response parser */
  int at;
  int status;
  int keep_alive;
  long long left; /* body bytes (AT_LENGTH) or chunk bytes (AT_CHUNK_DATA) still to come */
  char head[HEAD_MAX];
  int head_len;
  int line_len; /* chunk-size / trailer line bytes so far */
  char line[64];
} slot_t;

static slot_t *slots;

/* ---- flights (requests sent and not settled) ---------------------------------------------------------- */

typedef struct {
  long arrival;
  uint64_t sent_ns, wire_ns;
  int slot;     /* carrying slot, -1 while queued */
  int pool;
  int queued;   /* in its pool's queue */
  int settled;
  int prev, next;   /* pending list, in send order */
  int qprev, qnext; /* pool queue */
} flight_t;

static flight_t *flights;
static int *flight_free, flight_free_len;
static int pending_head = -1, pending_tail = -1;
static long in_flight;

/* ---- tallies --------------------------------------------------------------------------------------------- */

static long requests, ok, dropped, sent, completed, measured_pending;
static long by_status[600], by_kind[K_COUNT];
static uint32_t *records;
static long nrecords;
static uint64_t t0;
static int epfd;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Same arithmetic as arrival-schedule.ts intendedMs, so both generators agree to the bit. */
static double intended_ms(long i) { return ((double)i * 1000.0) / rate; }
static uint64_t intended_ns(long i) { return t0 + (uint64_t)(intended_ms(i) * 1e6); }

static void die(const char *msg) {
  fprintf(stderr, "loadgen: %s\n", msg);
  exit(2);
}

static void prefault(void *p, size_t bytes) {
  volatile char *c = p;
  for (size_t i = 0; i < bytes; i += 4096) c[i] = 0;
}

static void *must(void *p) {
  if (!p) die("out of memory");
  return p;
}

static int is_measured(long i) { return i >= first_measured && i < end_measured; }

static void release_slot(slot_t *s) {
  if (s->listed) return;
  pool_t *p = &pools[s->pool];
  p->free_ring[(p->free_head + p->free_len) % p->nslots] = (int)(s - slots);
  p->free_len++;
  s->listed = 1;
}

static void release_flight(int id) { flight_free[flight_free_len++] = id; }

static void unqueue(int id) {
  flight_t *f = &flights[id];
  pool_t *p = &pools[f->pool];
  if (f->qprev >= 0) flights[f->qprev].qnext = f->qnext;
  else p->queue_head = f->qnext;
  if (f->qnext >= 0) flights[f->qnext].qprev = f->qprev;
  else p->queue_tail = f->qprev;
  f->queued = 0;
}

static uint32_t clamp_us(uint64_t ns) {
  uint64_t us = (ns + 500) / 1000;
  return us > 0xffffffffull ? 0xffffffffu : (uint32_t)us;
}

/* How one request ended: status > 0 for a response, else a failure of `kind`. */
static void settle(int id, int status, int kind, uint64_t at) {
  flight_t *f = &flights[id];
  if (f->settled) return;
  f->settled = 1;
  in_flight--;
  completed++;
  if (f->prev >= 0) flights[f->prev].next = f->next;
  else pending_head = f->next;
  if (f->next >= 0) flights[f->next].prev = f->prev;
  else pending_tail = f->prev;
  if (is_measured(f->arrival)) {
    requests++;
    measured_pending--;
    if (status >= 200 && status < 400) ok++;
    else if (status > 0) by_status[status < 600 ? status : 0]++;
    else by_kind[kind]++;
    uint64_t intended = intended_ns(f->arrival);
    records[2 * nrecords] = clamp_us(at > intended ? at - intended : 0);
    records[2 * nrecords + 1] = clamp_us(at > f->wire_ns ? at - f->wire_ns : 0);
    nrecords++;
  }
  if (f->queued) unqueue(id);
  release_flight(id);
}

static void close_slot(slot_t *s) {
  if (s->fd >= 0) {
    epoll_ctl(epfd, EPOLL_CTL_DEL, s->fd, NULL);
    close(s->fd);
  }
  s->fd = -1;
  s->state = NOCONN;
  s->flight = -1;
  release_slot(s);
}

static int kind_of_errno(int e) {
  switch (e) {
    case ECONNREFUSED: return K_REFUSED;
    case ECONNRESET: case EPIPE: case ECONNABORTED: return K_RESET;
    case ETIMEDOUT: return K_TIMEOUT;
    default: return K_OTHER;
  }
}

/* The request on `s` failed: settle it with `kind`, drop the connection. */
static void fail_slot(slot_t *s, int kind) {
  if (s->state == BUSY || s->state == CONNECTING) {
    if (s->flight >= 0) settle(s->flight, 0, kind, now_ns());
  }
  close_slot(s);
}

static void write_request(slot_t *s) {
  pool_t *p = &pools[s->pool];
  s->state = BUSY;
  s->at = AT_HEAD;
  s->head_len = 0;
  flights[s->flight].wire_ns = now_ns();
  ssize_t w = send(s->fd, p->request, p->request_len, MSG_NOSIGNAL);
  if (w != (ssize_t)p->request_len) fail_slot(s, w < 0 ? kind_of_errno(errno) : K_OTHER);
}

static void open_slot(slot_t *s) {
  pool_t *p = &pools[s->pool];
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    fail_slot(s, K_OTHER);
    return;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  s->fd = fd;
  s->state = CONNECTING;
  s->answered = 0;
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP, .data.u32 = (uint32_t)(s - slots)};
  epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
  if (connect(fd, (struct sockaddr *)&p->addr, sizeof p->addr) < 0 && errno != EINPROGRESS)
    fail_slot(s, kind_of_errno(errno));
}

/* Moves queued flights onto free slots of the pool, opening a connection where a slot has none. */
static void dispatch(int pi) {
  pool_t *p = &pools[pi];
  while (p->queue_head >= 0 && p->free_len > 0) {
    int id = p->queue_head;
    unqueue(id);
    flight_t *f = &flights[id];
    slot_t *s = &slots[p->free_ring[p->free_head]];
    p->free_head = (p->free_head + 1) % p->nslots;
    p->free_len--;
    s->listed = 0;
    s->flight = id;
    f->slot = (int)(s - slots);
    if (s->state == IDLE) write_request(s);
    else open_slot(s);
  }
}

static void issue(long i, uint64_t at) {
  if (in_flight >= max_in_flight) {
    if (is_measured(i)) dropped++;
    return;
  }
  int id = flight_free[--flight_free_len];
  flight_t *f = &flights[id];
  f->arrival = i;
  f->sent_ns = at;
  f->wire_ns = at;
  f->slot = -1;
  f->settled = 0;
  f->prev = pending_tail;
  f->next = -1;
  if (pending_tail >= 0) flights[pending_tail].next = id;
  else pending_head = id;
  pending_tail = id;
  in_flight++;
  if (is_measured(i)) measured_pending++;
  /* Round-robin over connections, each bound to a pool (connection-plan.ts poolForRequest). */
  int pi = (int)((sent % nslots_total) % npools);
  sent++;
  pool_t *p = &pools[pi];
  f->pool = pi;
  f->queued = 1;
  f->qnext = -1;
  f->qprev = p->queue_tail;
  if (p->queue_tail >= 0) flights[p->queue_tail].qnext = id;
  else p->queue_head = id;
  p->queue_tail = id;
  dispatch(pi);
}

/* Every request open longer than the timeout is a timeout; its connection is dropped. */
static void sweep(uint64_t at) {
  while (pending_head >= 0 && at - flights[pending_head].sent_ns >= timeout_ns) {
    int id = pending_head;
    int si = flights[id].slot;
    settle(id, 0, K_TIMEOUT, at);
    if (si >= 0 && slots[si].flight == id) {
      slots[si].flight = -1;
      close_slot(&slots[si]);
      dispatch(slots[si].pool);
    }
  }
}

/* ---- response parsing ------------------------------------------------------------------------------------ */

static int header_is(const char *name, int len, const char *want) {
  return (int)strlen(want) == len && strncasecmp(name, want, (size_t)len) == 0;
}

/* Parses a complete head (status line and headers, ending CRLF CRLF). 0 ok, -1 malformed. */
static int parse_head(slot_t *s) {
  char *h = s->head;
  int n = s->head_len;
  if (n < 12 || strncmp(h, "HTTP/1.", 7) != 0) return -1;
  s->status = atoi(h + 9);
  if (s->status < 100 || s->status > 999) return -1;
  s->keep_alive = h[7] == '1';
  long long length = -1;
  int chunked = 0;
  char *line = memchr(h, '\n', (size_t)n);
  while (line && line + 1 < h + n) {
    char *start = line + 1;
    char *end = memchr(start, '\n', (size_t)(h + n - start));
    if (!end) break;
    char *colon = memchr(start, ':', (size_t)(end - start));
    if (colon) {
      int nl = (int)(colon - start);
      char *v = colon + 1;
      while (v < end && (*v == ' ' || *v == '\t')) v++;
      int vl = (int)(end - v);
      while (vl > 0 && (v[vl - 1] == '\r' || v[vl - 1] == ' ' || v[vl - 1] == '\t')) vl--;
      if (header_is(start, nl, "content-length")) {
        char *e;
        length = strtoll(v, &e, 10);
        if (e == v || length < 0) return -1;
      } else if (header_is(start, nl, "transfer-encoding")) {
        chunked = vl >= 7 && strncasecmp(v + vl - 7, "chunked", 7) == 0;
      } else if (header_is(start, nl, "connection")) {
        if (vl == 5 && strncasecmp(v, "close", 5) == 0) s->keep_alive = 0;
        if (vl == 10 && strncasecmp(v, "keep-alive", 10) == 0) s->keep_alive = 1;
      }
    }
    line = end;
  }
  if (s->status == 204 || s->status == 304) s->at = -1; /* no body */
  else if (chunked) {
    s->at = AT_CHUNK_SIZE;
    s->line_len = 0;
  } else if (length >= 0) {
    s->left = length;
    s->at = length == 0 ? -1 : AT_LENGTH;
  } else {
    s->at = AT_UNTIL_CLOSE;
    s->keep_alive = 0;
  }
  return 0;
}

/*
 * Feeds bytes of the response carried by `s`. Returns 1 when the response is complete (s->at == -1 then),
 * 0 when more is needed, -1 on a malformed response or bytes past its end.
 */
static int feed(slot_t *s, const char *b, int n) {
  int i = 0;
  while (i < n) {
    switch (s->at) {
      case AT_HEAD: {
        int take = n - i;
        if (s->head_len + take > HEAD_MAX) take = HEAD_MAX - s->head_len;
        memcpy(s->head + s->head_len, b + i, (size_t)take);
        int from = s->head_len > 3 ? s->head_len - 3 : 0;
        s->head_len += take;
        char *end = memmem(s->head + from, (size_t)(s->head_len - from), "\r\n\r\n", 4);
        if (!end) {
          if (s->head_len >= HEAD_MAX) return -1;
          i += take;
          break;
        }
        int head_bytes = (int)(end - s->head) + 4;
        i += head_bytes - (s->head_len - take);
        s->head_len = head_bytes;
        if (parse_head(s) < 0) return -1;
        if (s->status >= 100 && s->status < 200 && s->status != 101) { /* interim: skip */
          s->at = AT_HEAD;
          s->head_len = 0;
          break;
        }
        if (s->at == -1) return i == n ? 1 : -1;
        break;
      }
      case AT_LENGTH: {
        long long take = n - i < s->left ? n - i : s->left;
        s->left -= take;
        i += (int)take;
        if (s->left == 0) {
          s->at = -1;
          return i == n ? 1 : -1;
        }
        break;
      }
      case AT_CHUNK_SIZE:
      case AT_CHUNK_END:
      case AT_TRAILER: {
        char c = b[i++];
        if (c != '\n') {
          if (s->line_len < (int)sizeof s->line - 1) s->line[s->line_len] = c;
          if (++s->line_len > LINE_MAX_BYTES) return -1;
          break;
        }
        int len = s->line_len < (int)sizeof s->line - 1 ? s->line_len : (int)sizeof s->line - 1;
        if (len > 0 && s->line[len - 1] == '\r') len--;
        s->line[len] = 0;
        s->line_len = 0;
        if (s->at == AT_CHUNK_END) {
          if (len != 0) return -1;
          s->at = AT_CHUNK_SIZE;
        } else if (s->at == AT_CHUNK_SIZE) {
          char *e;
          long long size = strtoll(s->line, &e, 16);
          if (e == s->line || size < 0) return -1;
          if (size == 0) s->at = AT_TRAILER;
          else {
            s->left = size;
            s->at = AT_CHUNK_DATA;
          }
        } else if (len == 0) { /* the empty line after the trailer ends the response */
          s->at = -1;
          return i == n ? 1 : -1;
        }
        break;
      }
      case AT_CHUNK_DATA: {
        long long take = n - i < s->left ? n - i : s->left;
        s->left -= take;
        i += (int)take;
        if (s->left == 0) s->at = AT_CHUNK_END;
        break;
      }
      case AT_UNTIL_CLOSE:
        return 0;
      default:
        return -1;
    }
  }
  return 0;
}

static void complete(slot_t *s, uint64_t at) {
  int id = s->flight;
  s->flight = -1;
  s->answered++;
  if (s->keep_alive && (requests_per_connection == 0 || s->answered < requests_per_connection)) {
    s->state = IDLE;
    release_slot(s);
  } else {
    close_slot(s);
  }
  if (id >= 0) settle(id, s->status, 0, at);
  dispatch(s->pool);
}

static char readbuf[65536];

static void on_event(slot_t *s, uint32_t events) {
  if (s->state == CONNECTING) {
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err) {
      int pi = s->pool;
      fail_slot(s, kind_of_errno(err));
      dispatch(pi);
      return;
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u32 = (uint32_t)(s - slots)};
    epoll_ctl(epfd, EPOLL_CTL_MOD, s->fd, &ev);
    s->state = IDLE;
    if (s->flight >= 0) write_request(s);
    return;
  }
  for (;;) {
    ssize_t r = read(s->fd, readbuf, sizeof readbuf);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (r < 0) {
      int pi = s->pool;
      fail_slot(s, kind_of_errno(errno));
      dispatch(pi);
      return;
    }
    if (r == 0) { /* end of stream */
      int pi = s->pool;
      if (s->state == BUSY && s->at == AT_UNTIL_CLOSE) {
        s->keep_alive = 0;
        complete(s, now_ns());
      } else {
        fail_slot(s, K_RESET);
        dispatch(pi);
      }
      return;
    }
    if (s->state != BUSY) { /* bytes nobody asked for */
      int pi = s->pool;
      close_slot(s);
      dispatch(pi);
      return;
    }
    int done = feed(s, readbuf, (int)r);
    if (done < 0) {
      int pi = s->pool;
      fail_slot(s, K_OTHER);
      dispatch(pi);
      return;
    }
    if (done == 1) {
      complete(s, now_ns());
      return;
    }
  }
}

/* ---- main -------------------------------------------------------------------------------------------------- */

static void emit(const char *line) {
  size_t n = strlen(line);
  if (write(1, line, n) != (ssize_t)n) exit(3); /* the engine went away */
}

static void write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) exit(3);
    p += w;
    n -= (size_t)w;
  }
}

int main(int argc, char **argv) {
  long cpu = -1;
  npools = 0;
  pools = must(calloc((size_t)argc, sizeof *pools));
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--pool") && i + 5 < argc) {
      pool_t *p = &pools[npools++];
      p->addr.sin_family = AF_INET;
      if (inet_pton(AF_INET, argv[i + 1], &p->addr.sin_addr) != 1) die("--pool: not an IPv4 address");
      long port = atol(argv[i + 2]);
      if (port < 1 || port > 65535) die("--pool: bad port");
      p->addr.sin_port = htons((uint16_t)port);
      p->nslots = atoi(argv[i + 3]);
      if (p->nslots < 1) die("--pool: connections must be at least 1");
      size_t cap = strlen(argv[i + 4]) + strlen(argv[i + 5]) + 128;
      p->request = must(malloc(cap));
      p->request_len = (size_t)snprintf(p->request, cap, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: meshbench\r\n\r\n",
                                        argv[i + 5], argv[i + 4]);
      i += 5;
      continue;
    }
    if (i + 1 >= argc) die("every option takes a value");
    const char *v = argv[++i];
    if (!strcmp(a, "--rate")) rate = atof(v);
    else if (!strcmp(a, "--warmup-ms")) warmup_ms = atof(v);
    else if (!strcmp(a, "--duration-ms")) duration_ms = atof(v);
    else if (!strcmp(a, "--first")) first_measured = atol(v);
    else if (!strcmp(a, "--end")) end_measured = atol(v);
    else if (!strcmp(a, "--max-in-flight")) max_in_flight = atol(v);
    else if (!strcmp(a, "--timeout-ms")) timeout_ns = (uint64_t)atol(v) * 1000000ull;
    else if (!strcmp(a, "--progress-ms")) progress_ms = atol(v);
    else if (!strcmp(a, "--cpu")) cpu = atol(v);
    else if (!strcmp(a, "--requests-per-connection")) {
      requests_per_connection = atol(v);
      if (requests_per_connection < 1) die("--requests-per-connection must be at least 1");
    }
    else die("unknown option");
  }
  if (!(rate > 0) || duration_ms <= 0 || warmup_ms < 0 || npools == 0 || max_in_flight < 1 || timeout_ns == 0 ||
      end_measured < first_measured || first_measured < 0 || progress_ms < 1)
    die("incomplete plan");

  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() == 1) exit(3); /* the parent is already gone */
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((int)cpu, &set);
    sched_setaffinity(0, sizeof set, &set);
  }

  nslots_total = 0;
  for (int p = 0; p < npools; p++) nslots_total += pools[p].nslots;
  slots = must(calloc((size_t)nslots_total, sizeof *slots));
  flights = must(calloc((size_t)max_in_flight, sizeof *flights));
  flight_free = must(calloc((size_t)max_in_flight, sizeof *flight_free));
  for (long k = 0; k < max_in_flight; k++) flight_free[flight_free_len++] = (int)(max_in_flight - 1 - k);
  records = must(calloc((size_t)(end_measured - first_measured) * 2 + 2, sizeof *records));
  /* calloc maps the pages lazily: touch them now, or every 512th record pays a page fault inside the window
   * (a trap to the hypervisor on a paravirtualised guest). */
  prefault(records, ((size_t)(end_measured - first_measured) * 2 + 2) * sizeof *records);
  int si = 0;
  for (int p = 0; p < npools; p++) {
    pool_t *pl = &pools[p];
    pl->first_slot = si;
    pl->free_ring = must(calloc((size_t)pl->nslots, sizeof(int)));
    pl->queue_head = pl->queue_tail = -1;
    for (int k = 0; k < pl->nslots; k++, si++) {
      slots[si].fd = -1;
      slots[si].pool = p;
      slots[si].flight = -1;
      slots[si].state = NOCONN;
      release_slot(&slots[si]);
    }
  }
  epfd = epoll_create1(EPOLL_CLOEXEC);
  if (epfd < 0) die("epoll_create1 failed");

  const uint64_t window_start = (uint64_t)(warmup_ms * 1e6), window_end = (uint64_t)((warmup_ms + duration_ms) * 1e6);
  const uint64_t progress_ns = (uint64_t)progress_ms * 1000000ull;
  /* Sweep every twentieth of the timeout, between 5 and 100 ms (timing-policy.ts sweepIntervalMs). */
  uint64_t sweep_ns = timeout_ns / 20;
  if (sweep_ns < 5000000ull) sweep_ns = 5000000ull;
  if (sweep_ns > 100000000ull) sweep_ns = 100000000ull;
  long next = 0;
  int started = 0, ended = 0;
  double issue_span_ms = duration_ms;
  struct epoll_event evs[256];
  char line[128];
  early_wake_t wake;
  ew_init(&wake);

  t0 = now_ns();
  uint64_t next_progress = t0 + progress_ns, next_sweep = t0 + sweep_ns;
  for (;;) {
    uint64_t at = now_ns();
    uint64_t elapsed = at - t0;
    if (!started && elapsed >= window_start) {
      started = 1;
      emit("S\n");
    }
    /* Every arrival intended at or before now (arrivalsDue): lateness in one pass never shifts later ones. */
    while (next < end_measured && intended_ns(next) <= at) {
      if (next == end_measured - 1) {
        double late_ms = (double)(at - intended_ns(next)) / 1e6;
        issue_span_ms = duration_ms + (late_ms > 0 ? late_ms : 0);
      }
      issue(next++, at);
    }
    if (!ended && elapsed >= window_end) {
      ended = 1;
      emit("E\n");
    }
    if (ended && measured_pending == 0) break;
    if (at >= next_sweep) {
      sweep(at);
      next_sweep = at + sweep_ns;
    }
    if (at >= next_progress) {
      snprintf(line, sizeof line, "P %.1f %ld %ld\n", (double)elapsed / 1e6, sent, completed);
      emit(line);
      next_progress += progress_ns;
      if (next_progress <= at) next_progress = at + progress_ns;
    }

    /* Sleep until the next due time; for an arrival, wake early by the learnt margin and spin (poll) the rest. */
    uint64_t arrival_at = next < end_measured ? intended_ns(next) : UINT64_MAX;
    uint64_t wake_at = arrival_at;
    if (!started && t0 + window_start < wake_at) wake_at = t0 + window_start;
    if (!ended && t0 + window_end < wake_at) wake_at = t0 + window_end;
    if (next_progress < wake_at) wake_at = next_progress;
    if (in_flight > 0 && next_sweep < wake_at) wake_at = next_sweep;
    at = now_ns();
    struct timespec ts = {0, 0};
    uint64_t aim = 0; /* the arrival wake-up being aimed at, to learn from */
    if (wake_at > at) {
      uint64_t wait = wake_at - at;
      if (wake_at == arrival_at) {
        wait = wait > wake.margin ? wait - wake.margin : 0;
        if (wait > 0) aim = at + wait;
      }
      ts.tv_sec = (time_t)(wait / 1000000000ull);
      ts.tv_nsec = (long)(wait % 1000000000ull);
    }
    int n = epoll_pwait2(epfd, evs, 256, &ts, NULL);
    if (n < 0 && errno != EINTR) die("epoll_pwait2 failed");
    if (n == 0 && aim) ew_record(&wake, aim, now_ns());
    for (int e = 0; e < n; e++) on_event(&slots[evs[e].data.u32], evs[e].events);
  }

  /* Counts as JSON (statuses and kinds with at least one request), then the records on fd 3. */
  char *json = must(malloc(65536));
  int len = snprintf(json, 65536, "R {\"requests\":%ld,\"ok\":%ld,\"dropped\":%ld,\"issueSpanMs\":%.6f,\"records\":%ld,\"byStatus\":{",
                     requests, ok, dropped, issue_span_ms, nrecords);
  int firstk = 1;
  for (int k = 0; k < 600; k++)
    if (by_status[k]) {
      len += snprintf(json + len, 65536 - (size_t)len, "%s\"%d\":%ld", firstk ? "" : ",", k, by_status[k]);
      firstk = 0;
    }
  len += snprintf(json + len, 65536 - (size_t)len, "},\"byKind\":{");
  firstk = 1;
  for (int k = 0; k < K_COUNT; k++)
    if (by_kind[k]) {
      len += snprintf(json + len, 65536 - (size_t)len, "%s\"%s\":%ld", firstk ? "" : ",", kind_names[k], by_kind[k]);
      firstk = 0;
    }
  len += snprintf(json + len, 65536 - (size_t)len, "}}\n");
  for (int k = 0; k < nslots_total; k++)
    if (slots[k].fd >= 0) close(slots[k].fd);
  write_all(1, json, (size_t)len);
  write_all(3, records, (size_t)nrecords * 2 * sizeof(uint32_t));
  return 0;
}
