import { neverShed } from "./load-shedding.ts";
import { problem } from "./openapi-parts.ts";

const overloaded =
  "Intake is overloaded (intake.overloaded): the request was refused before anything was done for it; send it again after the Retry-After seconds (ADR 009, twenty-eighth-session addendum).";

const retryAfterHeader = { "Retry-After": { description: "Seconds to wait before sending the request again.", schema: { type: "integer" } } };

type Answer = { description: string; headers?: Record<string, unknown> };
type Operation = { responses: Record<string, Answer> };

/**
 * Every operation intake may shed lists the overload's 503: added where a route had none,
 * told beside a 503 it had (a dependency that cannot answer), which keeps its own words.
 */
export function withOverloadAnswers<Paths extends Record<string, object>>(paths: Paths): Paths {
  return Object.fromEntries(
    Object.entries(paths).map(([path, operations]) => [
      path,
      neverShed.has(path)
        ? operations
        : Object.fromEntries(
            Object.entries(operations as Record<string, Operation>).map(([method, operation]) => {
              const own = operation.responses["503"];
              const answer = own
                ? { ...own, description: `${own.description} ${overloaded}`, headers: { ...own.headers, ...retryAfterHeader } }
                : { ...problem(overloaded), headers: retryAfterHeader };
              return [method, { ...operation, responses: { ...operation.responses, "503": answer } }];
            }),
          ),
    ]),
  ) as Paths;
}
