/*
 * The benchmarks' fixed-seed generator (splitmix64): a seed gives the same queries and the
 * same synthetic lists on every machine. Set g_rng before the first draw.
 */
#ifndef EMB_BENCH_RNG_H
#define EMB_BENCH_RNG_H

#include <stddef.h>
#include <stdint.h>

static uint64_t g_rng;

static inline uint64_t rnd(void)
{
    uint64_t z = (g_rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform enough below n (0 when n is 0). */
static inline size_t rnd_below(size_t n)
{
    return n ? (size_t)(rnd() % n) : 0;
}

#endif
