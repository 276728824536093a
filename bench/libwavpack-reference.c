/*
 * The numcodecs benchmark's in-process reference: libwavpack (Debian's libwavpack-dev) encoding
 * and decoding int16 chunks from memory, configured as wavpack-numcodecs 0.2.3 configures it
 * (num_channels = chunk columns, 16-bit, sample rate 32000, CONFIG_PAIR_UNDEF_CHANS, block
 * samples halved until <= 120000; level 1 fast, 2 default, 3 high, 4 very high; bps > 0 hybrid
 * with the library's dynamic noise shaping). Decoding reads the whole chunk from memory with
 * WavpackUnpackSamples on one thread, as wavpack-numcodecs' decoder does.
 *
 * usage: libwavpack-reference INPUT FRAMES CHANNELS CHUNK_FRAMES LEVEL BPS REPEATS CHUNKS_OUT DECODED_OUT
 *   INPUT: int16 little-endian samples, frame-interleaved (FRAMES x CHANNELS)
 *   CHUNKS_OUT: the encoded chunks, concatenated; DECODED_OUT: libwavpack's decode of them (int16)
 * prints one JSON line: bytes of each chunk, seconds of each encode and decode repeat (all chunks),
 * and whether every decode equalled the input (it must when BPS is 0).
 *
 * Built by bench/codecs.ts with: cc -O2 -o <tmp> bench/libwavpack-reference.c -lwavpack
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wavpack/wavpack.h>

typedef struct {
  unsigned char *data;
  size_t size, capacity;
} Buffer;

static int on_block(void *id, void *data, int32_t length) {
  Buffer *b = id;
  if (b->size + length > b->capacity) {
    b->capacity = (b->size + length) * 2;
    b->data = realloc(b->data, b->capacity);
    if (!b->data) return 0;
  }
  memcpy(b->data + b->size, data, length);
  b->size += length;
  return 1;
}

/* A reader over one chunk in memory (libwavpack reads, pushes back one byte, asks the position). */
typedef struct {
  const unsigned char *start, *at, *end;
  int pushed, pushed_byte;
} Memory;

static int32_t m_read(void *id, void *data, int32_t count) {
  Memory *m = id;
  unsigned char *out = data;
  int32_t n = 0;
  if (m->pushed && count > 0) out[n++] = (unsigned char)m->pushed_byte, m->pushed = 0;
  while (n < count && m->at < m->end) out[n++] = *m->at++;
  return n;
}
static int32_t m_write(void *id, void *data, int32_t count) { (void)id, (void)data, (void)count; return 0; }
static int64_t m_get_pos(void *id) { Memory *m = id; return (m->at - m->start) - m->pushed; }
static int m_set_pos_abs(void *id, int64_t pos) { Memory *m = id; m->at = m->start + pos; m->pushed = 0; return 0; }
static int m_set_pos_rel(void *id, int64_t delta, int mode) {
  Memory *m = id;
  const unsigned char *base = mode == SEEK_SET ? m->start : mode == SEEK_END ? m->end : m->at;
  m->at = base + delta;
  m->pushed = 0;
  return 0;
}
static int m_push_back(void *id, int c) { Memory *m = id; m->pushed = 1, m->pushed_byte = c; return c; }
static int64_t m_length(void *id) { Memory *m = id; return m->end - m->start; }
static int m_can_seek(void *id) { (void)id; return 1; }
static int m_close(void *id) { (void)id; return 0; }
static WavpackStreamReader64 reader = {m_read, m_write, m_get_pos, m_set_pos_abs, m_set_pos_rel, m_push_back, m_length, m_can_seek, NULL, m_close};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int encode_chunk(const int16_t *in, int frames, int channels, int level, double bps, Buffer *out) {
  WavpackContext *wpc = WavpackOpenFileOutput(on_block, out, NULL);
  WavpackConfig config;
  memset(&config, 0, sizeof config);
  config.num_channels = channels;
  config.bytes_per_sample = 2;
  config.bits_per_sample = 16;
  config.sample_rate = 32000;
  config.block_samples = frames;
  while (config.block_samples > 120000) config.block_samples = (config.block_samples + 1) >> 1;
  config.flags = CONFIG_PAIR_UNDEF_CHANS;
  if (level == 1) config.flags |= CONFIG_FAST_FLAG;
  else if (level == 3) config.flags |= CONFIG_HIGH_FLAG;
  else if (level == 4) config.flags |= CONFIG_HIGH_FLAG | CONFIG_VERY_HIGH_FLAG;
  if (bps > 0) config.flags |= CONFIG_HYBRID_FLAG, config.bitrate = bps;
  if (!WavpackSetConfiguration64(wpc, &config, frames, NULL) || !WavpackPackInit(wpc)) return 0;
  int32_t *wide = malloc(sizeof(int32_t) * (size_t)frames * channels);
  for (size_t i = 0; i < (size_t)frames * channels; i++) wide[i] = in[i];
  int ok = WavpackPackSamples(wpc, wide, frames) && WavpackFlushSamples(wpc);
  WavpackCloseFile(wpc);
  free(wide);
  return ok;
}

static int decode_chunk(const unsigned char *bytes, size_t size, int32_t *wide, int16_t *out, int frames, int channels) {
  Memory m = {bytes, bytes, bytes + size, 0, 0};
  char error[80];
  WavpackContext *wpc = WavpackOpenFileInputEx64(&reader, &m, NULL, error, 0, 0);
  if (!wpc) return 0;
  int got = WavpackUnpackSamples(wpc, wide, frames);
  WavpackCloseFile(wpc);
  for (size_t i = 0; i < (size_t)got * channels; i++) out[i] = (int16_t)wide[i];
  return got == frames;
}

int main(int argc, char **argv) {
  if (argc != 10) return fprintf(stderr, "usage: %s INPUT FRAMES CHANNELS CHUNK_FRAMES LEVEL BPS REPEATS CHUNKS_OUT DECODED_OUT\n", argv[0]), 2;
  int frames = atoi(argv[2]), channels = atoi(argv[3]), chunk = atoi(argv[4]), level = atoi(argv[5]), repeats = atoi(argv[7]);
  double bps = atof(argv[6]);
  size_t n = (size_t)frames * channels;
  int16_t *in = malloc(n * 2), *decoded = malloc(n * 2);
  int32_t *wide = malloc(sizeof(int32_t) * (size_t)chunk * channels);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(in, 2, n, f) != n) return fprintf(stderr, "cannot read %s\n", argv[1]), 1;
  fclose(f);
  int chunks = (frames + chunk - 1) / chunk;
  Buffer *encoded = calloc(chunks, sizeof(Buffer));
  printf("{\"sizes\":[");
  double t0 = now();
  for (int c = 0; c < chunks; c++) {
    int rows = c == chunks - 1 ? frames - c * chunk : chunk;
    if (!encode_chunk(in + (size_t)c * chunk * channels, rows, channels, level, bps, &encoded[c])) return fprintf(stderr, "encode failed\n"), 1;
    printf("%s%zu", c ? "," : "", encoded[c].size);
  }
  printf("],\"encodeSeconds\":%.6f,\"decodeSeconds\":[", now() - t0);
  int exact = 1;
  for (int r = 0; r < repeats; r++) {
    double t = now();
    for (int c = 0; c < chunks; c++) {
      int rows = c == chunks - 1 ? frames - c * chunk : chunk;
      if (!decode_chunk(encoded[c].data, encoded[c].size, wide, decoded + (size_t)c * chunk * channels, rows, channels)) return fprintf(stderr, "decode failed\n"), 1;
    }
    printf("%s%.6f", r ? "," : "", now() - t);
  }
  exact = memcmp(in, decoded, n * 2) == 0;
  printf("],\"exact\":%s,\"version\":\"%s\"}\n", exact ? "true" : "false", WavpackGetLibraryVersionString());
  FILE *o = fopen(argv[8], "wb");
  for (int c = 0; c < chunks; c++) fwrite(encoded[c].data, 1, encoded[c].size, o);
  fclose(o);
  FILE *d = fopen(argv[9], "wb");
  fwrite(decoded, 2, n, d);
  fclose(d);
  return 0;
}
