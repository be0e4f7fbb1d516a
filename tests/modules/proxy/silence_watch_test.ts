import assert from "node:assert/strict";
import { SilenceWatch } from "../../../modules/proxy/mod.ts";

Deno.test("SilenceWatch expires the silent watches and only those, wherever they stand in its list", async () => {
  const watch = new SilenceWatch();
  const expiredA = Promise.withResolvers<void>();
  const expiredC = Promise.withResolvers<void>();
  let forgottenExpired = false;
  let patientExpired = false;
  const a = watch.start(0, () => expiredA.resolve());
  const forgotten = watch.start(0, () => forgottenExpired = true);
  const patient = watch.start(60_000, () => patientExpired = true);
  const c = watch.start(0, () => expiredC.resolve());
  // Forgetting one from the middle moves the last into its place.
  forgotten.stop();
  forgotten.stop();
  // The sweep's timer does not hold the event loop open: this one does, and bounds the wait.
  const bound = setTimeout(() => {
    expiredA.reject(new Error("Cannot see the sweep: no expiry within 5 s"));
  }, 5_000);
  try {
    await Promise.all([expiredA.promise, expiredC.promise]);
  } finally {
    clearTimeout(bound);
  }
  assert.equal(a.expired, true);
  assert.equal(c.expired, true);
  assert.equal(forgotten.expired, false);
  assert.equal(forgottenExpired, false);
  assert.equal(patient.expired, false);
  assert.equal(patientExpired, false);
  patient.stop();
});
