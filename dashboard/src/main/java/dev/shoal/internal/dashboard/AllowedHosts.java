package dev.shoal.internal.dashboard;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The addresses a request may name in its {@code Host} and {@code Origin} headers: {@code localhost},
 * {@code 127.0.0.1} and {@code [::1]}, the address the dashboard listens on, and the names an operator added, each
 * with the dashboard's port.
 *
 * <p>This is what stops DNS rebinding: a page from {@code evil.example} whose name is made to resolve to
 * {@code 127.0.0.1} reaches this port, but its requests say {@code Host: evil.example:PORT}, which is not on the
 * list. A dashboard listening on every interface ({@code 0.0.0.0} or {@code ::}) also answers to the literal IP
 * addresses of this machine's interfaces, since a browser names an address literally only when the page's own
 * address is that address: no name an attacker controls is involved.
 *
 * <p>An added name without a port stands for the name with the dashboard's port and for the bare name, which a
 * browser sends to a reverse proxy on the scheme's default port; an added {@code name:port} stands for itself.
 */
final class AllowedHosts {
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");
  private static final Pattern NAME_OR_ADDRESS = Pattern.compile("(\\[[0-9a-f:.]+]|[a-z0-9._-]+)(:\\d{1,5})?");

  /** Authorities as a browser writes them, in lower case: {@code localhost:7701}, {@code [::1]:7701}. */
  private final Set<String> authorities;
  private final boolean anyLocalAddress;
  private final int port;

  private AllowedHosts(Set<String> authorities, boolean anyLocalAddress, int port) {
    this.authorities = authorities;
    this.anyLocalAddress = anyLocalAddress;
    this.port = port;
  }

  /**
   * The addresses of a dashboard listening on {@code bindHost} and {@code port}, with {@code added} names.
   *
   * @throws IllegalArgumentException naming an added entry that is not a host name, an address or either with
   *     a port
   */
  static AllowedHosts of(String bindHost, int port, Collection<String> added) {
    Set<String> authorities = new LinkedHashSet<>();
    for (String loopback : List.of("localhost", "127.0.0.1", "[::1]")) {
      authorities.add(loopback + ":" + port);
    }
    String bind = bracketed(bindHost.strip().toLowerCase(Locale.ROOT));
    boolean wildcard = bind.equals("0.0.0.0") || bind.equals("[::]") || bind.equals("[0:0:0:0:0:0:0:0]");
    if (!wildcard && !bind.isEmpty()) {
      authorities.add(bind + ":" + port);
    }
    for (String entry : added) {
      String e = entry.strip().toLowerCase(Locale.ROOT);
      Matcher m = NAME_OR_ADDRESS.matcher(bracketed(e));
      if (!m.matches()) {
        throw new IllegalArgumentException("'" + entry + "' is not a host name for the dashboard: give a name or"
            + " an address, optionally with a port, such as shoal.example.com or 10.0.0.5:7701");
      }
      if (m.group(2) != null) {
        authorities.add(m.group(0));
      } else {
        authorities.add(m.group(1) + ":" + port);
        authorities.add(m.group(1));
      }
    }
    return new AllowedHosts(Set.copyOf(authorities), wildcard, port);
  }

  /** Whether a {@code Host} header's value names this dashboard. */
  boolean allowsHost(String host) {
    if (host == null) {
      return false;
    }
    String authority = host.strip().toLowerCase(Locale.ROOT);
    return authorities.contains(authority) || anyLocalAddress && isLocalAddressWithOurPort(authority);
  }

  /** Whether an {@code Origin} header's value is a page of this dashboard: {@code http[s]://} and an allowed host. */
  boolean allowsOrigin(String origin) {
    if (origin == null) {
      return false;
    }
    try {
      URI uri = new URI(origin.strip());
      String scheme = uri.getScheme();
      if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getRawAuthority() == null || uri.getRawUserInfo() != null
          || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
        return false;
      }
      return allowsHost(uri.getRawAuthority());
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** The allowed addresses, for an error message. */
  String describe() {
    List<String> names = new ArrayList<>(authorities.stream().sorted().toList());
    if (anyLocalAddress) {
      names.add("this machine's IP addresses with port " + port);
    }
    return String.join(", ", names);
  }

  private boolean isLocalAddressWithOurPort(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon < 0 || authority.endsWith("]") || !authority.substring(colon + 1).equals(Integer.toString(port))) {
      return false;
    }
    InetAddress address = literal(authority.substring(0, colon));
    try {
      return address != null && NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }

  /**
   * The address written literally in {@code text}, or null when it is a name: names are never looked up, since
   * what a name resolves to is exactly what an attacker controls.
   */
  private static InetAddress literal(String text) {
    try {
      Matcher v4 = IPV4.matcher(text);
      if (v4.matches()) {
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(v4.group(i + 1));
          if (octet > 255) {
            return null;
          }
          bytes[i] = (byte) octet;
        }
        return InetAddress.getByAddress(bytes);
      }
      if (IPV6.matcher(text).matches()) {
        // With a colon in it, the JDK parses the text as an address and does no lookup.
        return InetAddress.getByName(text.substring(1, text.length() - 1));
      }
    } catch (UnknownHostException e) {
      return null;
    }
    return null;
  }

  /** An IPv6 address in brackets, as it appears in a URL; anything else unchanged. */
  private static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") && host.chars().filter(c -> c == ':').count() > 1
        ? "[" + host + "]"
        : host;
  }
}
