/* SPDX-License-Identifier: GPL-3.0-or-later */

/* bench/flush-delay.so: preloaded (LD_PRELOAD) into a PostgreSQL cluster
 * by `bench/service-filing --own-cluster --flush-delay MICROSECONDS`, it
 * makes every fsync() and fdatasync() of the cluster's processes wait that
 * much longer before the real one: a disk whose flush costs what a server
 * disk's costs (about 1 ms for a SATA SSD without power-loss protection or
 * network block storage), on a machine whose own flush is nearly free.
 * Raw inserts and filings run on the same cluster and pay it alike. An
 * experiment, not a measure of the machine: service-filing gives no
 * verdict with it. Nothing else loads it. */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int fsync (int fd);
int fdatasync (int fd);

static void
wait_flush_delay (void)
{
  const char *text = getenv ("ESC_BENCH_FLUSH_DELAY_US");
  long us = text != NULL ? strtol (text, NULL, 10) : 0;
  struct timespec delay;

  if (us <= 0)
    return;
  delay.tv_sec = us / 1000000;
  delay.tv_nsec = (us % 1000000) * 1000;
  while (nanosleep (&delay, &delay) != 0)
    ;
}

int
fsync (int fd)
{
  static int (*real) (int);

  if (real == NULL)
    *(void **)&real = dlsym (RTLD_NEXT, "fsync");
  wait_flush_delay ();
  return real (fd);
}

int
fdatasync (int fd)
{
  static int (*real) (int);

  if (real == NULL)
    *(void **)&real = dlsym (RTLD_NEXT, "fdatasync");
  wait_flush_delay ();
  return real (fd);
}
