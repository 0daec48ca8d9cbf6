/** Thrown by a tool whose call the policy refused at execution time. */
export class PolicyDenied extends Error {
  override name = "PolicyDenied";
}
