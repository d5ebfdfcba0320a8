package io.userhub.shared.validation;

/** The system limits of SPEC section 5, as the Helpshift seeds publish them. */
public final class Limits {
    private Limits() {}

    public static final int KEY_LENGTH_MAX = 255;
    public static final int IDENTITY_VALUE_LENGTH_MAX = 300;
    public static final int UID_VALUE_LENGTH_MAX = 750;
    public static final int CUSTOM_FIELD_VALUE_LENGTH_MAX = 255;
    public static final int MULTILINE_CUSTOM_FIELD_VALUE_LENGTH_MAX = 100_000;
    public static final int TAG_LENGTH_MAX = 100;
    public static final int COLLECTION_SIZE_MAX = 30;
    public static final int ATTRIBUTE_KEYS_PER_UPDATE_MAX = 100;
    /** Metadata values share the identity value limit: the seeds give no separate figure. */
    public static final int METADATA_VALUE_LENGTH_MAX = IDENTITY_VALUE_LENGTH_MAX;
    /** Login config values: the web widget's 1000-character limit per key or value. */
    public static final int CONFIG_VALUE_LENGTH_MAX = 1000;
    /** External ids and user ids play the role of a uid. */
    public static final int EXTERNAL_ID_LENGTH_MAX = UID_VALUE_LENGTH_MAX;
    public static final int DEVICE_ID_LENGTH_MAX = 255;
    /**
     * Tags a profile may hold in all (the seeds cap each update at 30 tags, not the total): a
     * profile item that grew without bound would make every later login pay for it in WRU.
     */
    public static final int PROFILE_TAGS_MAX = 100;
    /** Entries of a profile's identity history kept: the most recent moves in and out. */
    public static final int IDENTITY_HISTORY_MAX = 50;

    /** Caps applied before any JSON of a token is parsed (RFC 8725: bound the work an attacker can cause). */
    public static final int TOKEN_LENGTH_MAX = 16 * 1024;
    public static final int JSON_NESTING_DEPTH_MAX = 16;
    /** Request bodies larger than this are refused with 413 before parsing (room for one 100,000-char multi-line field). */
    public static final int REQUEST_BODY_BYTES_MAX = 256 * 1024;
}
