package org.enforcement.engine;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.identity.Group;
import org.operaton.bpm.engine.identity.Tenant;
import org.operaton.bpm.engine.rest.security.auth.AuthenticationResult;
import org.operaton.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;

/**
 * HTTP basic auth against the identity service, remembering for a short
 * while a credential it has verified. The product calls the engine hundreds
 * of times per case; without this every call cost three queries (password,
 * groups, tenants) and a salted hash. Only the SHA-256 of a verified
 * password is kept, never a refused one, and an entry lasts {@link #TTL_MS},
 * so a changed password or a removed user takes effect within that time.
 */
public class VerifiedCredentials extends HttpBasicAuthenticationProvider {

  static final long TTL_MS = 60_000;

  private record Verified(byte[] passwordDigest, List<String> groups, List<String> tenants, long until) {}

  private final Map<String, Verified> verified = new ConcurrentHashMap<>();
  private final ThreadLocal<Verified> current = new ThreadLocal<>();

  @Override
  public AuthenticationResult extractAuthenticatedUser(HttpServletRequest request, ProcessEngine engine) {
    try {
      AuthenticationResult result = super.extractAuthenticatedUser(request, engine);
      Verified entry = current.get();
      if (result.isAuthenticated() && entry != null) {
        result.setGroups(entry.groups());
        result.setTenants(entry.tenants());
      }
      return result;
    } finally {
      current.remove();
    }
  }

  @Override
  protected boolean isAuthenticated(ProcessEngine engine, String userName, String password) {
    byte[] digest = sha256(password);
    long now = System.currentTimeMillis();
    Verified entry = verified.get(userName);
    if (entry != null && entry.until() > now && MessageDigest.isEqual(entry.passwordDigest(), digest)) {
      current.set(entry);
      return true;
    }
    if (!super.isAuthenticated(engine, userName, password)) {
      return false;
    }
    IdentityService identity = engine.getIdentityService();
    List<String> groups = identity.createGroupQuery().groupMember(userName).list().stream()
        .map(Group::getId).toList();
    List<String> tenants = identity.createTenantQuery().userMember(userName).includingGroupsOfUser(true)
        .list().stream().map(Tenant::getId).toList();
    entry = new Verified(digest, groups, tenants, now + TTL_MS);
    verified.put(userName, entry);
    current.set(entry);
    return true;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException(missing);
    }
  }
}
