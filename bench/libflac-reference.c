/*
 * The benchmark's in-process reference: libFLAC (Debian's libflac-dev) encoding and decoding
 * flacarray's streams from memory, exactly as Python flacarray calls it (one mono stream per
 * channel; set_compression_level, set_blocksize(0), set_channels(1), set_bits_per_sample(32),
 * a write callback only, so total_samples stays 0; no verify, no metadata).
 *
 * usage: libflac-reference INPUT CHANNELS SAMPLES LEVEL REPEATS STREAMS_OUT
 *   INPUT: int32 little-endian samples, channel-major (CHANNELS x SAMPLES)
 *   STREAMS_OUT: the encoded streams, concatenated (the benchmark decodes them with our decoder)
 * prints one JSON line: bytes of each stream, seconds of each encode and decode repeat, and
 * whether every decode equalled the input.
 *
 * Built by bench/codec.ts with: cc -O2 -o <tmp> bench/libflac-reference.c -lFLAC
 */
#include <FLAC/stream_decoder.h>
#include <FLAC/stream_encoder.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct {
  unsigned char *data;
  size_t size, capacity;
} Buffer;

static FLAC__StreamEncoderWriteStatus on_write(const FLAC__StreamEncoder *e, const FLAC__byte bytes[], size_t n,
                                               uint32_t samples, uint32_t frame, void *client) {
  (void)e, (void)samples, (void)frame;
  Buffer *b = client;
  if (b->size + n > b->capacity) {
    b->capacity = (b->size + n) * 2;
    b->data = realloc(b->data, b->capacity);
    if (!b->data) return FLAC__STREAM_ENCODER_WRITE_STATUS_FATAL_ERROR;
  }
  memcpy(b->data + b->size, bytes, n);
  b->size += n;
  return FLAC__STREAM_ENCODER_WRITE_STATUS_OK;
}

typedef struct {
  const unsigned char *data;
  size_t size, at;
  int32_t *out;
  size_t written, capacity;
} Reading;

static FLAC__StreamDecoderReadStatus on_read(const FLAC__StreamDecoder *d, FLAC__byte buffer[], size_t *n, void *client) {
  (void)d;
  Reading *r = client;
  size_t left = r->size - r->at;
  if (left == 0) {
    *n = 0;
    return FLAC__STREAM_DECODER_READ_STATUS_END_OF_STREAM;
  }
  if (*n > left) *n = left;
  memcpy(buffer, r->data + r->at, *n);
  r->at += *n;
  return FLAC__STREAM_DECODER_READ_STATUS_CONTINUE;
}

static FLAC__StreamDecoderWriteStatus on_frame(const FLAC__StreamDecoder *d, const FLAC__Frame *frame,
                                               const FLAC__int32 *const channels[], void *client) {
  (void)d;
  Reading *r = client;
  uint32_t n = frame->header.blocksize;
  if (r->written + n > r->capacity) return FLAC__STREAM_DECODER_WRITE_STATUS_ABORT;
  memcpy(r->out + r->written, channels[0], n * sizeof(int32_t));
  r->written += n;
  return FLAC__STREAM_DECODER_WRITE_STATUS_CONTINUE;
}

static void on_error(const FLAC__StreamDecoder *d, FLAC__StreamDecoderErrorStatus status, void *client) {
  (void)d, (void)client;
  fprintf(stderr, "libFLAC decode error: %s\n", FLAC__StreamDecoderErrorStatusString[status]);
  exit(1);
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
  if (argc != 7) {
    fprintf(stderr, "usage: %s INPUT CHANNELS SAMPLES LEVEL REPEATS STREAMS_OUT\n", argv[0]);
    return 2;
  }
  size_t channels = strtoul(argv[2], NULL, 10), samples = strtoul(argv[3], NULL, 10);
  unsigned level = strtoul(argv[4], NULL, 10), repeats = strtoul(argv[5], NULL, 10);
  int32_t *input = malloc(channels * samples * sizeof(int32_t));
  FILE *f = fopen(argv[1], "rb");
  if (!f || !input || fread(input, sizeof(int32_t), channels * samples, f) != channels * samples) {
    fprintf(stderr, "cannot read %zu x %zu int32 samples from %s\n", channels, samples, argv[1]);
    return 1;
  }
  fclose(f);

  Buffer *streams = calloc(channels, sizeof(Buffer));
  double *encode = calloc(repeats, sizeof(double)), *decode = calloc(repeats, sizeof(double));
  for (unsigned rep = 0; rep < repeats; rep++) {
    double t = now();
    for (size_t c = 0; c < channels; c++) {
      streams[c].size = 0;
      FLAC__StreamEncoder *e = FLAC__stream_encoder_new();
      FLAC__stream_encoder_set_compression_level(e, level);
      FLAC__stream_encoder_set_blocksize(e, 0);
      FLAC__stream_encoder_set_channels(e, 1);
      FLAC__stream_encoder_set_bits_per_sample(e, 32);
      if (FLAC__stream_encoder_init_stream(e, on_write, NULL, NULL, NULL, &streams[c]) != FLAC__STREAM_ENCODER_INIT_STATUS_OK ||
          !FLAC__stream_encoder_process_interleaved(e, input + c * samples, samples) || !FLAC__stream_encoder_finish(e)) {
        fprintf(stderr, "libFLAC could not encode stream %zu\n", c);
        return 1;
      }
      FLAC__stream_encoder_delete(e);
    }
    encode[rep] = now() - t;
  }

  /* decodes every stream into one reused buffer, as our benchmark does; `check` compares each
     with the input (an untimed first pass) */
  int32_t *out = malloc(samples * sizeof(int32_t));
  int equal = 1;
  for (unsigned rep = 0; rep <= repeats; rep++) {
    int check = rep == 0;
    double t = now();
    for (size_t c = 0; c < channels; c++) {
      Reading r = {streams[c].data, streams[c].size, 0, out, 0, samples};
      FLAC__StreamDecoder *d = FLAC__stream_decoder_new();
      if (FLAC__stream_decoder_init_stream(d, on_read, NULL, NULL, NULL, NULL, on_frame, NULL, on_error, &r) !=
              FLAC__STREAM_DECODER_INIT_STATUS_OK ||
          !FLAC__stream_decoder_process_until_end_of_stream(d)) {
        fprintf(stderr, "libFLAC could not decode stream %zu\n", c);
        return 1;
      }
      FLAC__stream_decoder_delete(d);
      if (check && (r.written != samples || memcmp(out, input + c * samples, samples * sizeof(int32_t)) != 0)) equal = 0;
    }
    if (!check) decode[rep - 1] = now() - t;
  }

  FILE *o = fopen(argv[6], "wb");
  for (size_t c = 0; c < channels; c++) fwrite(streams[c].data, 1, streams[c].size, o);
  fclose(o);
  printf("{\"version\":\"%s\",\"equal\":%s,\"streamBytes\":[", FLAC__VENDOR_STRING, equal ? "true" : "false");
  for (size_t c = 0; c < channels; c++) printf("%s%zu", c ? "," : "", streams[c].size);
  printf("],\"encodeSeconds\":[");
  for (unsigned i = 0; i < repeats; i++) printf("%s%.6f", i ? "," : "", encode[i]);
  printf("],\"decodeSeconds\":[");
  for (unsigned i = 0; i < repeats; i++) printf("%s%.6f", i ? "," : "", decode[i]);
  printf("]}\n");
  return 0;
}
