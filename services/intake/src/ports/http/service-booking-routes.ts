import type { FastifyInstance } from "fastify";
import { bookServiceWindow, type ServiceBookingDeps } from "../../app/commands/book-service-window.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { orderIdOf, storeIdOf } from "./path-params.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { FreeWindowsQuerySchema, ServiceBookingSchema } from "./service-booking-schemas.ts";
import { freeWindowsViewOf, windowBookingViewOf } from "./worklist-views.ts";
import { roleFirst } from "./store-scope.ts";

/** Service windows: where a visit still fits (dispatch's FindFreeWindows), and booking one for an order (BookWindow). */
export function registerServiceBookingRoutes(app: FastifyInstance, deps: ServiceBookingDeps): void {
  app.get("/v1/stores/:storeId/free-windows", roleFirst("find-free-windows"), async (request) => {
    const context = permittedContextOf(request, "find-free-windows");
    const storeId = storeIdOf(request);
    const { skill, from, until } = parseOrRefuse(FreeWindowsQuerySchema, request.query, "query");
    return freeWindowsViewOf(await deps.dispatch.findFreeWindows({ storeId, skill, from, until }, context.correlationId));
  });

  app.post("/v1/orders/:orderId/service-booking", roleFirst("book-service-window"), async (request) => {
    const context = permittedContextOf(request, "book-service-window");
    const orderId = orderIdOf(request);
    const booking = parseOrRefuse(ServiceBookingSchema, request.body);
    return windowBookingViewOf(await bookServiceWindow(deps, context, orderId, booking));
  });
}
