package dev.shoal.internal.codec;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The wire encoding of the JDK value types that have a fixed layout: big numbers, UUID, the
 * java.time types and the primitive optionals.
 *
 * <p>Each is written from its public accessors and rebuilt with its public factory methods, so no
 * JDK internals are touched; a factory that rejects the decoded numbers signals a corrupt payload.
 */
final class JdkValues {
  private JdkValues() {}

  /** Writes the tag and the value of a kind handled here. */
  static void write(ByteSink out, int kind, Object v) {
    switch (kind) {
      case Tags.BIG_INTEGER -> {
        out.writeByte(kind);
        writeBigInteger(out, (BigInteger) v);
      }
      case Tags.BIG_DECIMAL -> {
        BigDecimal d = (BigDecimal) v;
        out.writeByte(kind);
        out.writeZigzagInt(d.scale());
        writeBigInteger(out, d.unscaledValue());
      }
      case Tags.UUID -> {
        UUID u = (UUID) v;
        out.writeByte(kind);
        out.writeFixedLong(u.getMostSignificantBits());
        out.writeFixedLong(u.getLeastSignificantBits());
      }
      case Tags.INSTANT -> {
        Instant t = (Instant) v;
        out.writeByte(kind);
        out.writeZigzagLong(t.getEpochSecond());
        out.writeVarint(t.getNano());
      }
      case Tags.DURATION -> {
        Duration d = (Duration) v;
        out.writeByte(kind);
        out.writeZigzagLong(d.getSeconds());
        out.writeVarint(d.getNano());
      }
      case Tags.LOCAL_DATE -> {
        out.writeByte(kind);
        out.writeZigzagLong(((LocalDate) v).toEpochDay());
      }
      case Tags.LOCAL_TIME -> {
        out.writeByte(kind);
        out.writeVarlong(((LocalTime) v).toNanoOfDay());
      }
      case Tags.LOCAL_DATE_TIME -> {
        out.writeByte(kind);
        writeLocalDateTime(out, (LocalDateTime) v);
      }
      case Tags.OFFSET_DATE_TIME -> {
        OffsetDateTime t = (OffsetDateTime) v;
        out.writeByte(kind);
        writeLocalDateTime(out, t.toLocalDateTime());
        out.writeZigzagInt(t.getOffset().getTotalSeconds());
      }
      case Tags.ZONED_DATE_TIME -> {
        ZonedDateTime t = (ZonedDateTime) v;
        out.writeByte(kind);
        writeLocalDateTime(out, t.toLocalDateTime());
        out.writeZigzagInt(t.getOffset().getTotalSeconds());
        writeZone(out, t.getZone());
      }
      case Tags.PERIOD -> {
        Period p = (Period) v;
        out.writeByte(kind);
        out.writeZigzagInt(p.getYears());
        out.writeZigzagInt(p.getMonths());
        out.writeZigzagInt(p.getDays());
      }
      case Tags.ZONE_OFFSET, Tags.ZONE_ID -> writeZone(out, (ZoneId) v);
      case Tags.OPTIONAL_INT -> {
        OptionalInt o = (OptionalInt) v;
        if (o.isPresent()) {
          out.writeByte(Tags.OPTIONAL_INT);
          out.writeZigzagInt(o.getAsInt());
        } else {
          out.writeByte(Tags.OPTIONAL_INT_EMPTY);
        }
      }
      case Tags.OPTIONAL_LONG -> {
        OptionalLong o = (OptionalLong) v;
        if (o.isPresent()) {
          out.writeByte(Tags.OPTIONAL_LONG);
          out.writeZigzagLong(o.getAsLong());
        } else {
          out.writeByte(Tags.OPTIONAL_LONG_EMPTY);
        }
      }
      case Tags.OPTIONAL_DOUBLE -> {
        OptionalDouble o = (OptionalDouble) v;
        if (o.isPresent()) {
          out.writeByte(Tags.OPTIONAL_DOUBLE);
          out.writeFixedLong(Double.doubleToRawLongBits(o.getAsDouble()));
        } else {
          out.writeByte(Tags.OPTIONAL_DOUBLE_EMPTY);
        }
      }
      default -> throw new IllegalStateException("no writer for kind " + kind);
    }
  }

  /** Reads the value after a tag handled here, or returns null if the tag is not one of them. */
  static Object read(ByteSource in, int tag) {
    return switch (tag) {
      case Tags.BIG_INTEGER -> readBigInteger(in);
      case Tags.BIG_DECIMAL -> {
        int scale = in.readZigzagInt();
        yield new BigDecimal(readBigInteger(in), scale);
      }
      case Tags.UUID -> new UUID(in.readFixedLong(), in.readFixedLong());
      case Tags.INSTANT -> Instant.ofEpochSecond(in.readZigzagLong(), nanos(in));
      case Tags.DURATION -> Duration.ofSeconds(in.readZigzagLong(), nanos(in));
      case Tags.LOCAL_DATE -> LocalDate.ofEpochDay(in.readZigzagLong());
      case Tags.LOCAL_TIME -> LocalTime.ofNanoOfDay(in.readVarlong());
      case Tags.LOCAL_DATE_TIME -> readLocalDateTime(in);
      case Tags.OFFSET_DATE_TIME ->
          OffsetDateTime.of(readLocalDateTime(in), ZoneOffset.ofTotalSeconds(in.readZigzagInt()));
      case Tags.ZONED_DATE_TIME -> {
        LocalDateTime local = readLocalDateTime(in);
        ZoneOffset offset = ZoneOffset.ofTotalSeconds(in.readZigzagInt());
        int zoneTag = in.readByte();
        if (zoneTag != Tags.ZONE_OFFSET && zoneTag != Tags.ZONE_ID) {
          throw in.corrupt("a ZonedDateTime has no zone");
        }
        // The offset disambiguates local times that occur twice when the clocks go back.
        yield ZonedDateTime.ofLocal(local, (ZoneId) read(in, zoneTag), offset);
      }
      case Tags.PERIOD -> Period.of(in.readZigzagInt(), in.readZigzagInt(), in.readZigzagInt());
      case Tags.ZONE_OFFSET -> ZoneOffset.ofTotalSeconds(in.readZigzagInt());
      case Tags.ZONE_ID -> ZoneId.of(in.readString());
      case Tags.OPTIONAL_INT_EMPTY -> OptionalInt.empty();
      case Tags.OPTIONAL_INT -> OptionalInt.of(in.readZigzagInt());
      case Tags.OPTIONAL_LONG_EMPTY -> OptionalLong.empty();
      case Tags.OPTIONAL_LONG -> OptionalLong.of(in.readZigzagLong());
      case Tags.OPTIONAL_DOUBLE_EMPTY -> OptionalDouble.empty();
      case Tags.OPTIONAL_DOUBLE -> OptionalDouble.of(Double.longBitsToDouble(in.readFixedLong()));
      default -> null;
    };
  }

  private static void writeZone(ByteSink out, ZoneId zone) {
    if (zone instanceof ZoneOffset offset) {
      out.writeByte(Tags.ZONE_OFFSET);
      out.writeZigzagInt(offset.getTotalSeconds());
    } else {
      out.writeByte(Tags.ZONE_ID);
      out.writeString(zone.getId());
    }
  }

  private static void writeBigInteger(ByteSink out, BigInteger b) {
    byte[] bytes = b.toByteArray();
    out.writeVarint(bytes.length);
    out.writeRaw(bytes);
  }

  private static BigInteger readBigInteger(ByteSource in) {
    int len = in.readLength(1);
    if (len == 0) {
      throw in.corrupt("a BigInteger has no bytes");
    }
    if (!in.inWindow(len)) {
      return new BigInteger(in.readRaw(len));
    }
    BigInteger b = new BigInteger(in.buf, in.pos, len);
    in.pos += len;
    return b;
  }

  /** Reads the nanoseconds of an Instant or a Duration, which an encoder writes as 0..999,999,999. */
  private static long nanos(ByteSource in) {
    int n = in.readVarint();
    if (n < 0 || n > 999_999_999) {
      throw in.corrupt("a nanosecond count of " + Integer.toUnsignedString(n)
          + " is outside 0..999999999");
    }
    return n;
  }

  private static void writeLocalDateTime(ByteSink out, LocalDateTime t) {
    out.writeZigzagLong(t.toLocalDate().toEpochDay());
    out.writeVarlong(t.toLocalTime().toNanoOfDay());
  }

  private static LocalDateTime readLocalDateTime(ByteSource in) {
    LocalDate date = LocalDate.ofEpochDay(in.readZigzagLong());
    return LocalDateTime.of(date, LocalTime.ofNanoOfDay(in.readVarlong()));
  }
}
