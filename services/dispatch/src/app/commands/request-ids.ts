import { ValidationError } from "@oms/errors";

/** Room for a uuid with a prefix and a step name; a key, not a text (it goes into a primary key). */
const maxStepIdLength = 128;

/** The caller's own id of the record or report a request writes: required, since only it tells a retry from a second one. */
export function requiredStepId(field: string, value: string): string {
  const id = value.trim();
  if (!id) throw new ValidationError([{ field, message: "is required: your own id of this step, sent again unchanged when you retry it" }]);
  if (id.length > maxStepIdLength) throw new ValidationError([{ field, message: `must be at most ${maxStepIdLength} characters` }]);
  return id;
}
