import type { FastifyInstance, FastifyRequest } from "fastify";
import { approveReview } from "../../app/commands/approve-review.ts";
import { rejectReview } from "../../app/commands/reject-review.ts";
import { listReviews } from "../../app/queries/list-reviews.ts";
import type { ReviewDeps } from "../../app/review-decision.ts";
import { parseOrRefuse } from "./field-errors-of-zod.ts";
import { permittedContextOf } from "./request-context-of.ts";
import { ListReviewsQuerySchema, ReviewApprovalSchema, ReviewIdParamsSchema, ReviewRejectionSchema } from "./review-schemas.ts";
import { roleFirst } from "./store-scope.ts";

const reviewIdOf = (request: FastifyRequest) => parseOrRefuse(ReviewIdParamsSchema, request.params, "reviewId").reviewId;

/** The manual-review queue: a reviewer lists it, approves (the order goes to fulfillment) or rejects (it ends rejected). */
export function registerReviewRoutes(app: FastifyInstance, deps: ReviewDeps): void {
  app.get("/v1/reviews", roleFirst("list-reviews"), async (request) => {
    const context = permittedContextOf(request, "list-reviews");
    const query = parseOrRefuse(ListReviewsQuerySchema, request.query, "query");
    return listReviews(deps, context, { storeId: query.storeId, pageSize: query.pageSize ?? 0, pageToken: query.pageToken ?? "" });
  });

  app.post("/v1/reviews/:reviewId/approval", roleFirst("approve-review"), async (request) => {
    const context = permittedContextOf(request, "approve-review");
    const reviewId = reviewIdOf(request);
    const { note } = parseOrRefuse(ReviewApprovalSchema, request.body ?? {});
    return approveReview(deps, context, reviewId, note ?? "");
  });

  app.post("/v1/reviews/:reviewId/rejection", roleFirst("reject-review"), async (request) => {
    const context = permittedContextOf(request, "reject-review");
    const reviewId = reviewIdOf(request);
    const { reason } = parseOrRefuse(ReviewRejectionSchema, request.body);
    return rejectReview(deps, context, reviewId, reason);
  });
}
