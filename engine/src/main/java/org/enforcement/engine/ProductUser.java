package org.enforcement.engine;

import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.identity.User;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The one engine user, the product's, with the credentials scripts/setup
 * generated (ENGINE_USER / ENGINE_PASSWORD). Runs before the web server
 * accepts requests. The password is set again on every start when it no
 * longer matches, so regenerated credentials take effect on restart instead
 * of locking the product out of an existing database.
 */
@Component
public class ProductUser implements InitializingBean {

  private final IdentityService identityService;
  private final String userId;
  private final String password;

  public ProductUser(
      IdentityService identityService,
      @Value("${enforcement.engine.user}") String userId,
      @Value("${enforcement.engine.password}") String password) {
    if (userId.isBlank() || password.length() < 16) {
      throw new IllegalStateException(
          "ENGINE_USER and ENGINE_PASSWORD (16 characters or more) must be set; "
              + "scripts/setup writes them to var/engine/credentials");
    }
    this.identityService = identityService;
    this.userId = userId;
    this.password = password;
  }

  @Override
  public void afterPropertiesSet() {
    User user = identityService.createUserQuery().userId(userId).singleResult();
    if (user == null) {
      try {
        user = identityService.newUser(userId);
        user.setFirstName("admin_enforcement");
        user.setLastName("product");
        user.setPassword(password);
        identityService.saveUser(user);
        return;
      } catch (RuntimeException concurrentCreate) {
        // Another node on the same database created it first: fall through
        // and make sure it carries our password.
        user = identityService.createUserQuery().userId(userId).singleResult();
        if (user == null) {
          throw concurrentCreate;
        }
      }
    }
    identityService.unlockUser(userId);
    if (!identityService.checkPassword(userId, password)) {
      user.setPassword(password);
      identityService.saveUser(user);
    }
  }
}
