import { z } from "zod";
import { dateTime, text } from "./schema-primitives.ts";

/** Queries, bodies and answers of service windows: finding room for a visit and booking it for an order. */

const skill = text(64).meta({ description: 'The skill the visit needs, e.g. "cleaning", "installation".' });

export const FreeWindowsQuerySchema = z.strictObject({
  skill,
  from: dateTime.meta({ description: "Windows starting from this time." }),
  until: dateTime.meta({ description: "Windows starting before this time; at most 31 days after from." }),
});

export const ServiceBookingSchema = z
  .strictObject({
    skill,
    windowStart: dateTime.meta({ description: "The start of one of the store's windows, as GET /v1/stores/{storeId}/free-windows answers it." }),
  })
  .meta({ title: "ServiceBooking", description: "Books (or moves) the order's one visit window at the order's store." });

export const FreeWindowsSchema = z
  .object({
    windows: z.array(
      z.object({
        start: z.string(),
        end: z.string(),
        capacity: z.int().meta({ description: "People with the skill on shift for the whole window: one visit each." }),
        booked: z.int(),
      }),
    ),
  })
  .meta({ title: "FreeWindows", description: "The store's windows that still have room for a visit needing the skill." });

export const WindowBookingSchema = z
  .object({
    bookingId: z.string(),
    storeId: z.string(),
    skill: z.string(),
    windowStart: z.string(),
    windowEnd: z.string(),
    orderId: z.string(),
    bookedAt: z.string(),
    assignedStaffId: z.string().meta({ description: "Who will do the visit; empty until the order's service task is assigned." }),
  })
  .meta({ title: "WindowBooking" });
