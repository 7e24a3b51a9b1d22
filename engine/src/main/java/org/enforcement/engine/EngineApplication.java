package org.enforcement.engine;

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
    SpringApplication.run(EngineApplication.class, args);
  }
}
