/**
 * Repair and maintenance visits sent back for rework (ADR 025's rework and twenty-sixth-session
 * addenda), judged on after-sales' cases and the two services' announcements: each report the
 * customer rejected got exactly one new round — announced once by after-sales (VisitRejected),
 * opened once by dispatch (ServiceReworkStarted) — and that round ended: reported once
 * (AfterSalesVisitReported), or called off with its case. No round was opened, or reported,
 * that no rejection asked for. Pure: the facts come in, failures and a figure go out.
 */

/** A repair's or maintenance's visit as after-sales keeps it. */
export interface VisitCaseRow {
  case_id: string;
  /** The round under way (0 before any rejection). */
  round: number;
  status: string;
  /** The rounds whose report the customer rejected, oldest first. */
  rejected_rounds: number[];
}

/** Rounds named by each announcement kind, by case, a copy republished after a crash counted once. */
export interface VisitRoundAnnouncements {
  /** after-sales' VisitRejected: the round each opened. */
  rejections: Map<string, number[]>;
  /** dispatch's ServiceReworkStarted of the case's visit task: the round each opened. */
  reworksStarted: Map<string, number[]>;
  /** dispatch's AfterSalesVisitReported: the round each ended. */
  reports: Map<string, number[]>;
}

export interface VisitReworkVerdict {
  failures: string[];
  figure: string;
}

const times = (rounds: readonly number[] | undefined, round: number) => (rounds ?? []).filter((r) => r === round).length;

export function judgeVisitRework(cases: readonly VisitCaseRow[], announced: VisitRoundAnnouncements): VisitReworkVerdict {
  const failures: string[] = [];
  let rejected = 0;
  let reported = 0;
  let calledOff = 0;
  for (const c of cases) {
    const opened = new Set(c.rejected_rounds.map((r) => r + 1));
    for (const round of opened) {
      rejected++;
      const rejections = times(announced.rejections.get(c.case_id), round);
      const starts = times(announced.reworksStarted.get(c.case_id), round);
      const reports = times(announced.reports.get(c.case_id), round);
      if (rejections !== 1) failures.push(`case ${c.case_id}: round ${round} announced opened ${rejections} times by after-sales`);
      if (starts !== 1) failures.push(`case ${c.case_id}: round ${round} opened ${starts} times by dispatch`);
      const callsItOff = c.status === "called-off" && c.round === round;
      if (reports === 1) reported++;
      else if (reports === 0 && callsItOff) calledOff++;
      else failures.push(`case ${c.case_id}: round ${round} reported ${reports} times${reports === 0 ? `, its visit ${c.status} in round ${c.round}` : ""}`);
    }
    if (c.round !== c.rejected_rounds.length) failures.push(`case ${c.case_id}: in round ${c.round} after ${c.rejected_rounds.length} rejected reports`);
    // Rounds nobody's rejection opened: the first round is the acceptance's, every other a rejection's.
    const unasked = (label: string, rounds: readonly number[] | undefined) => {
      for (const round of new Set(rounds ?? [])) if (round > 0 && !opened.has(round)) failures.push(`case ${c.case_id}: round ${round} ${label} though no rejection opened it`);
    };
    unasked("announced rejected", announced.rejections.get(c.case_id));
    unasked("opened by dispatch", announced.reworksStarted.get(c.case_id));
    unasked("reported", announced.reports.get(c.case_id));
  }
  const visits = cases.length;
  return { failures, figure: `${visits} visits, ${rejected} reports rejected: ${reported} new rounds reported, ${calledOff} called off with their case; ${failures.length} problems` };
}
