package dev.shoal.examples.spring;

import dev.shoal.CallStatus;
import dev.shoal.FunctionCall;
import dev.shoal.NotFoundException;
import dev.shoal.RemoteException;
import dev.shoal.spring.ShoalClient;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Jobs over HTTP: each one a spawned call of the deployed function, known to clients by its call id. */
@RestController
class JobController {
  private final ShoalClient shoal;

  JobController(ShoalClient shoal) {
    this.shoal = shoal;
  }

  /** A job to run: the document to report on. */
  record JobRequest(String document) {}

  /** A job that was accepted, with the id to ask about it. */
  record Accepted(String callId) {}

  /**
   * Where a job stands.
   *
   * @param result the report, once the job has succeeded
   * @param error why the job failed, once it has
   */
  record JobState(String callId, CallStatus status, Map<String, Integer> result, String error) {}

  @PostMapping("/jobs")
  ResponseEntity<Accepted> submit(@RequestBody JobRequest request) {
    if (request.document() == null) {
      return ResponseEntity.badRequest().build();
    }
    // Returns once the server has stored the call, so the id handed back is never lost.
    FunctionCall<Map<String, Integer>> call = shoal.spawn(ReportJobs.app.name(), "render", request.document());
    return ResponseEntity.accepted().location(URI.create("/jobs/" + call.id())).body(new Accepted(call.id()));
  }

  @GetMapping("/jobs/{callId}")
  JobState status(@PathVariable("callId") String callId) {
    CallStatus status = shoal.status(callId);
    if (!status.isTerminal()) {
      return new JobState(callId, status, null, null);
    }
    try {
      Optional<Map<String, Integer>> report = shoal.result(callId);
      return new JobState(callId, status, report.orElse(null), null);
    } catch (RemoteException e) {
      return new JobState(callId, status, null, e.remoteType() + ": " + e.getMessage());
    } catch (dev.shoal.ShoalException e) {
      return new JobState(callId, status, null, e.getMessage());
    }
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<String> notFound(NotFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(e.getMessage());
  }
}
