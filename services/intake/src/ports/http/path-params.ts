import type { FastifyRequest } from "fastify";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { OrderIdParamsSchema } from "./schemas.ts";
import { CustomerIdParamsSchema } from "./step-schemas.ts";
import { ReservationIdParamsSchema, StoreIdParamsSchema } from "./warehouse-schemas.ts";

/** The ids in request paths, refused field by field like bodies. */

export const orderIdOf = (request: FastifyRequest) => parseOrRefuse(OrderIdParamsSchema, request.params, "orderId").orderId;

// The router decodes %2F inside a parameter, so "<orderId>%2Freservation%2F1" arrives as the id itself.
export const reservationIdOf = (request: FastifyRequest) => parseOrRefuse(ReservationIdParamsSchema, request.params, "reservationId").reservationId;

export const storeIdOf = (request: FastifyRequest) => parseOrRefuse(StoreIdParamsSchema, request.params, "storeId").storeId;

export const customerIdOf = (request: FastifyRequest) => parseOrRefuse(CustomerIdParamsSchema, request.params, "customerId").customerId;
