package dev.shoal.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A job queue behind a web service: {@code POST /jobs} spawns a job on the deployed {@link ReportJobs} and answers
 * at once with the call's id; {@code GET /jobs/{id}} tells where the job stands and, once it has finished, its
 * result. The Shoal server comes from {@code SHOAL_SERVER} and {@code SHOAL_TOKEN} (or {@code shoal.server} and
 * {@code shoal.token} in the application's properties).
 */
@SpringBootApplication
public class JobServiceApplication {
  public static void main(String[] args) {
    SpringApplication.run(JobServiceApplication.class, args);
  }
}
