/**
 * Ids of the things an order asks other services for, derived from the order id: the
 * same decision always names the same reservation, task and settlement, so replays
 * and retries cannot create a second one.
 */
export const reservationIdOf = (orderId: string, attempt = 1) => `${orderId}/reservation/${attempt}`;
export const taskIdOf = (orderId: string, attempt = 1) => `${orderId}/task/${attempt}`;
export const settlementIdOf = (orderId: string) => `${orderId}/settlement`;
/** A split order's part has a delivery task of its own. */
export const partTaskIdOf = (orderId: string, partId: string) => `${orderId}/task/part-${partId}`;
