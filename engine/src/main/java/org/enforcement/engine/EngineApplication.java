package org.enforcement.engine;

import java.util.TimeZone;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The process engine of admin_enforcement: Operaton with its REST API. All
 * settings are in application.yaml; the processes are deployed over REST by
 * the product, never from this jar.
 */
@SpringBootApplication
public class EngineApplication {

  public static void main(String[] args) {
    // The engine stores timestamps without a zone in the JVM's zone; every
    // node of a cluster must agree on it, or timers and locks would be off
    // by hours. Dates cross the REST API with their offset, so UTC is safe.
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    SpringApplication.run(EngineApplication.class, args);
  }
}
