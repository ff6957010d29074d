package dev.shoal.internal.codec;

/**
 * The one-byte tags that start every value on the wire.
 *
 * <p>The numbers are part of the wire format: never renumber a tag, only add new ones.
 */
final class Tags {
  static final int NULL = 0;
  static final int TRUE = 1;
  static final int FALSE = 2;
  static final int INT = 3;
  static final int LONG = 4;
  static final int DOUBLE = 5;
  static final int STRING = 6;
  static final int BYTES = 7;
  static final int FLOAT = 8;
  static final int SHORT = 9;
  static final int BYTE = 10;
  static final int CHAR = 11;

  static final int BIG_INTEGER = 12;
  static final int BIG_DECIMAL = 13;
  static final int UUID = 14;
  static final int INSTANT = 15;
  static final int DURATION = 16;
  static final int LOCAL_DATE = 17;
  static final int LOCAL_TIME = 18;
  static final int LOCAL_DATE_TIME = 19;
  static final int OFFSET_DATE_TIME = 20;
  static final int ZONED_DATE_TIME = 21;
  static final int PERIOD = 22;
  static final int ZONE_OFFSET = 23;
  static final int ZONE_ID = 24;

  static final int OPTIONAL_EMPTY = 25;
  static final int OPTIONAL = 26;
  static final int OPTIONAL_INT_EMPTY = 27;
  static final int OPTIONAL_INT = 28;
  static final int OPTIONAL_LONG_EMPTY = 29;
  static final int OPTIONAL_LONG = 30;
  static final int OPTIONAL_DOUBLE_EMPTY = 31;
  static final int OPTIONAL_DOUBLE = 32;

  static final int LIST = 33;
  static final int SET = 34;
  static final int SORTED_SET = 35;
  static final int MAP = 36;
  static final int SORTED_MAP = 37;
  static final int DEQUE = 38;
  static final int ENUM_SET = 39;
  static final int ENUM_MAP = 40;

  static final int BOOLEAN_ARRAY = 41;
  static final int CHAR_ARRAY = 42;
  static final int SHORT_ARRAY = 43;
  static final int INT_ARRAY = 44;
  static final int LONG_ARRAY = 45;
  static final int FLOAT_ARRAY = 46;
  static final int DOUBLE_ARRAY = 47;
  static final int OBJECT_ARRAY = 48;

  static final int ENUM = 49;
  static final int RECORD = 50;
  static final int OBJECT = 51;

  /** Not a tag: the kind of a class that cannot be serialised, kept in {@link ClassInfo}. */
  static final int REFUSED = -1;

  private Tags() {}
}
