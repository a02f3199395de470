-- Second reading of 008 (ADR 022, twenty-seventh-session addendum): the customer's steps recorded
-- before kinds kept no facts, so their customer lost what they had read on them (an old parcel's
-- tracking number, a pick-up's collect-by time, a refund's amount). Fulfillment wrote each of these
-- details in one fixed shape; the facts are taken back from it with anchored patterns that capture
-- only the customer's values (never the staff id, the store, the measure or the reason beside them).
-- A detail of any other shape keeps no facts and reads in plain words.
--
-- One statement over only the rows of these names still without facts (a single scan, no second
-- pass over the whole table as 008's three statements were).
WITH old AS (
  SELECT id, what, detail FROM timeline
   WHERE facts = '{}'
     AND (what IN ('order.parcel-shipped', 'restock.expected', 'restock.no-longer-expected', 'order.ready-for-pickup', 'refund.issued',
                   'delivery.recorded', 'service.rescheduled', 'order.lines-substituted', 'return.received', 'replacement.shipped',
                   'replacement.called-off')
          OR what LIKE 'order.exception-%'
          OR (what LIKE 'service.%' AND kind = 'service-exception'))
), facts AS (
  SELECT id, jsonb_strip_nulls(CASE
    WHEN what = 'order.parcel-shipped' THEN (SELECT jsonb_build_object('partId', m[1], 'carrier', m[2], 'trackingNumber', m[3])
      FROM regexp_match(detail, '^part (\S+) from \S+: (?:(.+) )?(\S+)$') m WHERE m IS NOT NULL)
    WHEN what = 'restock.expected' THEN (SELECT jsonb_build_object('sku', m[1], 'expectedRestockDate', m[2])
      FROM regexp_match(detail, '^restock of (\S+) expected (\S+) at \S+$') m WHERE m IS NOT NULL)
    WHEN what = 'restock.no-longer-expected' THEN (SELECT jsonb_build_object('sku', m[1], 'expectedRestockDate', '')
      FROM regexp_match(detail, '^restock of (\S+) no longer expected at \S+$') m WHERE m IS NOT NULL)
    WHEN what = 'order.ready-for-pickup' THEN (SELECT jsonb_build_object('collectBy', m[1])
      FROM regexp_match(detail, '^held at the counter until (\S+)$') m WHERE m IS NOT NULL)
    WHEN what = 'refund.issued' THEN (SELECT jsonb_build_object('amountMinor', m[1], 'currency', m[2])
      FROM regexp_match(detail, '^(\d+) ([A-Z]*) to ') m WHERE m IS NOT NULL)
    WHEN what = 'delivery.recorded' THEN (SELECT jsonb_build_object('method', m[1], 'proofKind', m[2])
      FROM regexp_match(detail, '^([a-z-]+) by .*, proof: ([a-z-]+)(?: \(shipment \S+\))?$') m WHERE m IS NOT NULL)
    WHEN what LIKE 'order.exception-%' THEN jsonb_build_object('exception', substr(what, length('order.exception-') + 1)) || coalesce((
      SELECT jsonb_build_object('cause', m[1], 'nextStep', m[2]) FROM regexp_match(detail, '^customer told: (.*); next: (.*)$') m WHERE m IS NOT NULL), '{}')
    WHEN what = 'service.rescheduled' THEN (SELECT jsonb_build_object('cause', m[1], 'newTime', m[2])
      FROM regexp_match(detail, '^customer told: ([^;]*); measure: .*; new time (\S+)$') m WHERE m IS NOT NULL)
    -- A visit's exception: its kind and the cause told the customer; the measure and any time after it are the store's.
    WHEN what LIKE 'service.%' THEN jsonb_build_object('exception', substr(what, length('service.') + 1)) || coalesce((
      SELECT jsonb_build_object('cause', m[1]) FROM regexp_match(detail, '^customer told: ([^;]*); measure: ') m WHERE m IS NOT NULL), '{}')
    WHEN what = 'order.lines-substituted' THEN (SELECT jsonb_build_object('substitutions', m[1], 'refundDueMinor', coalesce(m[2], '0'))
      FROM regexp_match(detail, '^([^;]+?)(?:; (\d+) to refund|; \d+ taken as a discount)?$') m WHERE m IS NOT NULL)
    WHEN what = 'return.received' THEN (SELECT jsonb_build_object('caseId', m[1]) FROM regexp_match(detail, '^case (\S+), receipt ') m WHERE m IS NOT NULL)
    WHEN what = 'replacement.shipped' THEN (SELECT jsonb_build_object('caseId', m[1], 'carrier', m[2], 'trackingNumber', m[3])
      FROM regexp_match(detail, '^case (\S+): .* shipped with (.*), tracking (\S*)$') m WHERE m IS NOT NULL)
    WHEN what = 'replacement.called-off' THEN (SELECT jsonb_build_object('caseId', m[1]) FROM regexp_match(detail, '^case (\S+): not sent') m WHERE m IS NOT NULL)
  END) AS facts
  FROM old
)
UPDATE timeline t SET facts = f.facts FROM facts f WHERE t.id = f.id AND f.facts IS NOT NULL AND f.facts <> '{}';

-- A replacement late at its pick or pack (ADR 030's seventh addendum) is an overdue step, as fulfillment records it now; 008
-- named only the ship step. Staff's either way.
UPDATE timeline SET kind = 'step-overdue' WHERE what LIKE 'replacement.%-overdue' AND kind = 'replacement-step';
