import { permissions } from "../../domain/permissions.ts";
import { PinduoduoOrderSchema, TmallOrderSchema } from "./marketplace-schemas.ts";
import { body, common, forbidden, json, jsonSchemaOf, ok, problem, queryParametersOf, ref } from "./openapi-parts.ts";
import { ListReviewsQuerySchema, ReviewApprovalSchema, ReviewListSchema, ReviewRejectionSchema, ReviewViewSchema } from "./review-schemas.ts";

/** Request examples of the marketplace and review operations; the orders fit the demo chain's `platforms`. */
export const marketplaceExamples = {
  tmall: {
    tid: "4100000000001",
    buyer: { nick: "zhou_lan", mobile: "13800138000", receiver: { state: "Shanghai", city: "Shanghai", district: "Jing'an", address: "88 Nanjing West Road" } },
    orders: [
      { outer_iid: "TM-600100", title: "Electric kettle 1.7 L", num: 1, price_fen: 19_900 },
      { outer_iid: "TM-600300", title: "Bath towel set of 4", num: 2, price_fen: 12_900 },
    ],
    payment: { total_fee_fen: 45_700, post_fee_fen: 0, discount_fee_fen: 0, paid_at: "2026-05-01 09:00:00" },
  },
  pinduoduo: {
    order_sn: "260501-000000001",
    receiver_name: "Wang Fang",
    receiver_phone: "13900139000",
    province: "Shanghai",
    city: "Shanghai",
    town: "Pudong",
    address: "1 Century Avenue",
    goods_id: "880001",
    goods_name: "Electric kettle 1.7 L",
    goods_count: 1,
    goods_price: "199.00",
    pay_amount: "214.00",
    postage: "15.00",
    discount_amount: "0.00",
    confirm_time: "2026-05-01 09:00:00",
  },
  approval: { note: "Called the customer: a canteen's order" },
  rejection: { reason: "The address is a parcel locker; 11 rice cookers cannot be delivered there" },
};

const reviewIdParameter = { name: "reviewId", in: "path", required: true, schema: { type: "string" } };
const notFound = problem("No such review.");

export function marketplaceAndReviewPaths() {
  return {
    "/v1/channels/{platform}/orders": {
      post: {
        operationId: "submitMarketplaceOrder",
        // The platform's signature is its proof; a bearer token is not read here.
        security: [],
        summary: "A marketplace pushes an order (tmall, pinduoduo)",
        description:
          "Signed by the platform: X-Platform-Timestamp (unix seconds, within 5 minutes of now) and X-Platform-Signature, the hex " +
          "HMAC-SHA256 of `${timestamp}.${rawBody}` with the platform's secret. The payload is the platform's own; items map to SKUs " +
          "and districts to stores by the platform's tables. Accepted once per platform order id (channel `marketplace:<platform>`); " +
          "a paid order is prepaid and confirmed. Refusals name the platform's fields.",
        parameters: [
          { name: "platform", in: "path", required: true, schema: { type: "string", enum: ["tmall", "pinduoduo"] } },
          { name: "X-Platform-Timestamp", in: "header", required: true, schema: { type: "string" } },
          { name: "X-Platform-Signature", in: "header", required: true, schema: { type: "string" } },
          { $ref: "#/components/parameters/XRequestId" },
        ],
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: { oneOf: [ref("TmallOrder"), ref("PinduoduoOrder")] },
              example: marketplaceExamples.tmall,
              examples: { tmall: { value: marketplaceExamples.tmall }, pinduoduo: { value: marketplaceExamples.pinduoduo } },
            },
          },
        },
        responses: {
          "201": ok("Accepted; fulfillment takes it from here.", "OrderAccepted"),
          "202": ok("Accepted, waiting for a reviewer (reviewId).", "OrderAccepted"),
          "200": ok("The same platform order was accepted before.", "OrderAccepted"),
          "400": problem("Wrong fields, named as the platform names them (e.g. orders[0].outer_iid, goods_price)."),
          "401": problem("Missing or wrong signature, or a timestamp more than 5 minutes away."),
          "404": problem("Not a platform intake takes orders from."),
          "409": problem("The platform order id was already used for different content."),
          "422": problem("No store serves the order's district."),
        },
      },
    },
    "/v1/reviews": {
      get: {
        operationId: "listReviews",
        summary: "The manual-review queue, oldest first",
        description: `Orders the pre-check flagged (large amount, flagged customer, unusual quantity). A page at a time (pageSize, 50 when absent): nextPageToken, while present, continues the queue; no request is listed twice, one decided meanwhile leaves it, and one arriving meanwhile may wait for the next reading. Who: ${permissions["list-reviews"].who}.`,
        parameters: [...queryParametersOf(ListReviewsQuerySchema), ...common],
        responses: { "200": ok("Pending reviews.", "ReviewList"), "400": problem("Wrong query: pageSize outside 1 to 200, a pageToken this queue did not give."), "403": forbidden(permissions["list-reviews"].who) },
      },
    },
    "/v1/reviews/{reviewId}/approval": {
      post: {
        operationId: "approveReview",
        summary: "Approve a flagged order: it goes to fulfillment",
        description: `OrderReviewApproved and OrderReceived, in one transaction. Who: ${permissions["approve-review"].who}. Approving again changes nothing.`,
        parameters: [reviewIdParameter, ...common],
        requestBody: { required: false, content: json(ref("ReviewApproval"), marketplaceExamples.approval) },
        responses: {
          "200": ok("Approved.", "Review"),
          "403": forbidden(permissions["approve-review"].who),
          "404": notFound,
          "409": problem("The review was rejected."),
        },
      },
    },
    "/v1/reviews/{reviewId}/rejection": {
      post: {
        operationId: "rejectReview",
        summary: "Reject a flagged order, with the reason",
        description: `OrderReviewRejected; the order ends rejected with the reason. Who: ${permissions["reject-review"].who}.`,
        parameters: [reviewIdParameter, ...common],
        requestBody: body("ReviewRejection", marketplaceExamples.rejection),
        responses: {
          "200": ok("Rejected.", "Review"),
          "400": problem("No reason given."),
          "403": forbidden(permissions["reject-review"].who),
          "404": notFound,
          "409": problem("The review was approved; the order is with fulfillment."),
        },
      },
    },
  };
}

export function marketplaceAndReviewSchemas() {
  return {
    TmallOrder: jsonSchemaOf(TmallOrderSchema, "input"),
    PinduoduoOrder: jsonSchemaOf(PinduoduoOrderSchema, "input"),
    ReviewApproval: jsonSchemaOf(ReviewApprovalSchema, "input"),
    ReviewRejection: jsonSchemaOf(ReviewRejectionSchema, "input"),
    Review: jsonSchemaOf(ReviewViewSchema, "output"),
    ReviewList: jsonSchemaOf(ReviewListSchema, "output"),
  };
}
