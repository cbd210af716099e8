/*
 * Every number the agent (build/agent.wasm) shares with its hosts (docs/abi.md): export
 * results, on_config sources, agent_state() values, configure() settings, log levels,
 * report channels, fetch and apply_json refusals, flash areas and results, sha256_native
 * operations and results.
 * The agent's own definitions are assembly/abi.ts; tests/node/abi-numbers.test.ts checks
 * that this header and firmware-sim/agent/abi.ts say the same.
 */
#ifndef OTAU_ABI_H
#define OTAU_ABI_H

#ifdef __cplusplus
extern "C" {
#endif

/* What the agent's exports return: 0, or a refusal that changed nothing. */
enum otau_abi_result {
    OTAU_ABI_OK = 0,
    OTAU_ABI_LENGTH_TOO_LARGE = -1, /* a length exceeds the I/O buffer */
    OTAU_ABI_WRONG_STATE = -2,      /* the call is not valid now */
    OTAU_ABI_BAD_ARGUMENT = -3,     /* an argument is out of its range, or a document was refused */
    OTAU_ABI_STORAGE_FAILED = -4    /* flash could not be written; nothing changed */
};

/* on_config's `source`: which document is in the I/O buffer. */
enum otau_config_source {
    OTAU_CONFIG_MURANO_CONFIG_OTAU = 0,
    OTAU_CONFIG_MURANO_OTAU_INFO = 1, /* the otau_info tag value, percent-encoded */
    OTAU_CONFIG_KAA_RESPONSE = 2
};

/* agent_state(). */
enum otau_state {
    OTAU_STATE_IDLE = 0,
    OTAU_STATE_FETCHING = 1,
    OTAU_STATE_RECEIVING = 2,
    OTAU_STATE_BACKOFF = 3,
    OTAU_STATE_AWAITING_RESET = 4,
    OTAU_STATE_TRIAL = 5
};

/* configure()'s `setting`. */
enum otau_setting {
    OTAU_SETTING_CLOUD = 0, /* 0 Murano, 1 Kaa */
    OTAU_SETTING_REQUIRE_DIGEST = 1,
    OTAU_SETTING_ALLOW_DOWNGRADE = 2,
    OTAU_SETTING_MAX_ATTEMPTS = 3,
    OTAU_SETTING_RETRY_BASE_MS = 4,
    OTAU_SETTING_RETRY_MAX_MS = 5,
    OTAU_SETTING_STALL_TIMEOUT_MS = 6,
    OTAU_SETTING_TRIAL_BOOTS = 7,
    OTAU_SETTING_FACTORY_IMAGE_SIZE = 8,
    OTAU_SETTING_RUNNING_VERSION_CHECK = 9, /* 1: boot() checks firmware_version() against the record */
    OTAU_SETTING_JITTER_SEED = 10,          /* seed of the retry delays' jitter; 0 = no jitter */
    OTAU_SETTING_RETRY_COOLDOWN_MS = 11,    /* wait before the same update again after DOWNLOAD_ERROR; 0 = never */
    OTAU_SETTING_ALLOW_UNVERIFIED_IMAGES = 12, /* 1: install an image with no sha256 digest and no trusted keys */
    OTAU_SETTING_SLOT_ADDRESS_A = 13,         /* where slot A's image runs (XIP); 0 = not known */
    OTAU_SETTING_SLOT_ADDRESS_B = 14          /* where slot B's image runs (XIP); 0 = not known */
};

/* The `log` import's level. */
enum otau_log_level {
    OTAU_LOG_ERROR = 0,
    OTAU_LOG_WARN = 1,
    OTAU_LOG_INFO = 2,
    OTAU_LOG_DEBUG = 3
};

/* The `report` import's channel. */
enum otau_channel {
    OTAU_CHANNEL_MURANO_OTAU_IN = 0, /* an otau_in document for Murano */
    OTAU_CHANNEL_KAA_APPLIED = 1,    /* an `applied` document for Kaa */
    OTAU_CHANNEL_KAA_STATUS = 2      /* a status in otau_in form, for the device's own log */
};

/* What the `fetch` and `apply_json` imports return when the host has nothing behind them (no
 * transport, no application handler). Other negative values are the port's own refusals. */
enum otau_import_result {
    OTAU_IMPORT_OK = 0,
    OTAU_IMPORT_NOT_PROVIDED = -1
};

/* Flash areas: the agent addresses flash only through these. */
enum otau_flash_area {
    OTAU_AREA_BOOT_RECORD = 0,
    OTAU_AREA_SLOT_A = 1,
    OTAU_AREA_SLOT_B = 2,
    OTAU_AREA_TRUST_STORE = 3 /* optional: a port without one answers OTAU_FLASH_NO_SUCH_AREA */
};

/* The areas every port has: the boot record and both slots. */
#define OTAU_AREA_COUNT 3

/* Results of the flash imports. */
enum otau_flash_result {
    OTAU_FLASH_OK = 0,
    OTAU_FLASH_NO_SUCH_AREA = -1,
    OTAU_FLASH_OUT_OF_RANGE = -2, /* offset + len runs past the end of the area */
    OTAU_FLASH_MISALIGNED = -3,   /* not a multiple of write_align (write) or sector_size (erase) */
    OTAU_FLASH_NOT_ERASED = -4,   /* a write targets a byte that is not erased (strict NOR) */
    OTAU_FLASH_DEVICE_ERROR = -5  /* the part (or the file behind it) reported a failure */
};

/* The `sha256_native` import's operation. */
enum otau_sha256_op {
    OTAU_SHA256_PROBE = 0,
    OTAU_SHA256_INIT = 1,
    OTAU_SHA256_UPDATE = 2,
    OTAU_SHA256_FINAL = 3
};

/* What `ed25519_native` returns. */
enum otau_ed25519_result {
    OTAU_ED25519_INVALID = 0,
    OTAU_ED25519_VALID = 1,
    OTAU_ED25519_NOT_PROVIDED = -1 /* the agent verifies in AssemblyScript */
};

/* What `sha256_native` returns. */
enum otau_sha256_result {
    OTAU_SHA256_OK = 0,
    OTAU_SHA256_NOT_PROVIDED = -1,
    OTAU_SHA256_BAD_OPERATION = -2 /* unknown operation, or a context Init did not set up */
};

#ifdef __cplusplus
}
#endif

#endif /* OTAU_ABI_H */
