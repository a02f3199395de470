/** The durable timers dispatch schedules (@oms/timers), by kind. */
export const TimerKinds = {
  /** Keyed by assignment id: the assignee must have acknowledged by then. */
  acknowledgeDeadline: "dispatch.acknowledge-deadline",
  /** Keyed by `taskId/step/vVersion/level`: a service step (arrival, report) is due; level 1 warns, level 2 escalates. */
  stepDeadline: "dispatch.step-deadline",
} as const;
