package org.enforcement.engine;

import java.util.Map;
import org.operaton.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Every REST call must authenticate with HTTP basic auth against the
 * engine's identity service. Odoo enforces the legal gates, so nobody but
 * the product may drive the engine; the starter's REST API is anonymous
 * unless this filter is registered. A verified credential is remembered
 * for a minute ({@link VerifiedCredentials}).
 */
@Configuration
public class RestAuthentication {

  @Bean
  public FilterRegistrationBean<ProcessEngineAuthenticationFilter> restAuthenticationFilter(
      @Value("${spring.jersey.application-path:/engine-rest}") String restPath) {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration =
        new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.setName("operaton-rest-authentication");
    registration.addUrlPatterns(restPath + "/*");
    registration.setInitParameters(Map.of(
        ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM,
        VerifiedCredentials.class.getName(),
        // The filter matches engine names on the path below the servlet's
        // mapping; without the prefix every request would address "default"
        // by accident rather than by the path.
        ProcessEngineAuthenticationFilter.SERVLET_PATH_PREFIX, restPath));
    // Before the starter's own filters, so no request reaches Jersey unchecked.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }
}
