import type { dispatchApi } from "@oms/contracts";
import type { WindowBooking } from "../../adapters/pg/booking-repository.ts";

/** A booking as the API shows it, with who will do the visit ("" until someone is assigned). */
export function bookingView(booking: WindowBooking): dispatchApi.WindowBooking {
  return {
    bookingId: booking.bookingId,
    storeId: booking.storeId,
    skill: booking.skill,
    windowStart: booking.windowStart.toISOString(),
    windowEnd: booking.windowEnd.toISOString(),
    orderId: booking.orderId,
    bookedAt: booking.bookedAt.toISOString(),
    assignedStaffId: booking.assignedStaffId ?? "",
  };
}
