/** The payment provider port: Stripe's semantics (idempotency keys, declines, transient errors). */

/** A request to charge a payment method. */
export interface ChargeRequest {
  amountMinor: number;
  currency: string;
  paymentMethod: string;
  /** Same key, same request: the original charge is returned, nothing is charged twice. */
  idempotencyKey: string;
  description?: string;
}

/** A charge that went through. */
export interface Charge {
  id: string;
  amountMinor: number;
  currency: string;
  status: 'succeeded';
}

/** A refund of a charge. */
export interface Refund {
  id: string;
  chargeId: string;
  amountMinor: number;
}

/** The card was declined: retrying will not help. */
export class PaymentDeclinedError extends Error {
  override name = 'PaymentDeclinedError';
  constructor(
    readonly declineCode: string,
    message = `the card was declined (${declineCode})`,
  ) {
    super(message);
  }
}

/** The request itself is wrong (for example an idempotency key reused with other parameters). */
export class PaymentRequestError extends Error {
  override name = 'PaymentRequestError';
}

/** What every payment provider offers. */
export interface PaymentProvider {
  charge(request: ChargeRequest): Promise<Charge>;
  refund(request: { chargeId: string; idempotencyKey: string; amountMinor?: number }): Promise<Refund>;
  /**
   * The charge that went through under this idempotency key, if one did (a declined attempt is none): how a caller
   * that never heard a charge's answer learns whether the money was taken. A payment still under way is an error
   * worth retrying, not an answer.
   */
  findCharge(idempotencyKey: string): Promise<Charge | undefined>;
}
