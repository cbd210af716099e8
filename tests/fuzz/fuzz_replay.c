/* Runs the fuzz harness over saved inputs without libFuzzer: the committed seed corpus as a
 * regression test (npm test), or one finding to read (OTAU_FUZZ_VERBOSE=1).
 * usage: fuzz_replay [--stack-size N] <agent.wasm> <input file or directory>...
 * --stack-size: wasm3's value stack for the agent (default: the core's default). */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned replayed;

static void replay_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (!file) {
        fprintf(stderr, "fuzz_replay: cannot open %s\n", path);
        exit(2);
    }
    static uint8_t data[1 << 20];
    size_t len = fread(data, 1, sizeof data, file);
    fclose(file);
    fprintf(stderr, "fuzz_replay: %s (%zu bytes)\n", path, len);
    LLVMFuzzerTestOneInput(data, len);
    replayed++;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void replay(const char *path)
{
    struct stat info;
    if (stat(path, &info) != 0) {
        fprintf(stderr, "fuzz_replay: no such input %s\n", path);
        exit(2);
    }
    if (!S_ISDIR(info.st_mode)) {
        replay_file(path);
        return;
    }
    struct dirent **entries = NULL;
    int count = scandir(path, &entries, NULL, by_name);
    for (int i = 0; i < count; i++) {
        if (entries[i]->d_name[0] != '.') {
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, entries[i]->d_name);
            replay_file(child);
        }
        free(entries[i]);
    }
    free(entries);
}

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--stack-size") == 0) {
        setenv("OTAU_FUZZ_STACK_SIZE", argv[2], 1);
        argv += 2;
        argc -= 2;
    }
    if (argc < 3) {
        fprintf(stderr, "usage: fuzz_replay [--stack-size N] <agent.wasm> <input file or directory>...\n");
        return 2;
    }
    setenv("OTAU_FUZZ_AGENT", argv[1], 1);
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 2; i < argc; i++) replay(argv[i]);
    if (replayed == 0) {
        fprintf(stderr, "fuzz_replay: no inputs\n");
        return 1;
    }
    printf("fuzz_replay: %u inputs replayed, every oracle held\n", replayed);
    return 0;
}
