-- The reference for the indicator workload (bench/run.sh): the year's indicators for all
-- municipalities by month (November 2025 – October 2026, the region data set's year) as one
-- plain SQL query, run by pgbench -f. It reads the same rows the server reads and computes
-- the countable figures: per municipality and month the discharges' median and mean days
-- from ready for discharge (utskrivningsklar) to discharge (Stockholm dates), late admission notices, readmissions within 30 days, held
-- meetings by kind and the share with Esther present, open and overdue action items at the
-- month's end, active projects and coaches (certified or not). Not here: the per-case rules
-- the server applies in Rust (payment liability with its pauses, the SIP window with home
-- care, suppression), so the query does less than the server, never more.
WITH months AS (
    SELECT m::date AS month_start, (m + interval '1 month' - interval '1 day')::date AS month_end
    FROM generate_series(date '2025-11-01', date '2026-10-01', interval '1 month') AS m
),
areas AS (
    SELECT DISTINCT municipality_code AS area FROM care_units WHERE municipality_code IS NOT NULL
),
discharges AS (
    SELECT p.municipality_code AS area, c.person_id, c.admitted_at,
           (d.sent_at AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Stockholm')::date AS discharged,
           d.sent_at AS discharged_at,
           (SELECT (max(r.sent_at) AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Stockholm')::date
              FROM case_messages r
             WHERE r.case_id = c.id AND r.kind = 'ready_for_discharge') AS ready,
           (SELECT min(a.sent_at) FROM case_messages a
             WHERE a.case_id = c.id AND a.kind = 'admission_notice') AS notice_at
    FROM coordination_cases c
    JOIN persons p ON p.id = c.person_id
    JOIN case_messages d ON d.case_id = c.id AND d.kind = 'discharge_notice'
    WHERE d.sent_at >= timestamp '2025-10-31' AND d.sent_at < timestamp '2026-11-02'
),
care_chain AS (
    SELECT area, date_trunc('month', discharged)::date AS month_start,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY discharged - ready) AS median_days,
           avg(discharged - ready) AS mean_days,
           count(DISTINCT person_id) AS persons,
           count(*) FILTER (WHERE notice_at IS NULL OR notice_at > admitted_at + interval '24 hours') AS late,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM coordination_cases r
               WHERE r.person_id = discharges.person_id AND r.admitted_at > discharged_at
                 AND r.admitted_at <= discharged_at + interval '30 days')) AS readmitted
    FROM discharges GROUP BY 1, 2
),
held AS (
    SELECT host_municipality_code AS area,
           date_trunc('month', starts_at AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Stockholm')::date AS month_start,
           count(*) FILTER (WHERE kind = 'municipal_network') AS network_meetings,
           count(*) FILTER (WHERE kind = 'esther_cafe') AS cafes,
           avg(esther_present::int) FILTER (WHERE kind <> 'case_conference') AS esther_share
    FROM meetings
    WHERE status = 'held' AND starts_at >= timestamp '2025-10-31' AND starts_at < timestamp '2026-11-02'
    GROUP BY 1, 2
),
items AS (
    SELECT mt.host_municipality_code AS area, m.month_start,
           count(*) AS open_items,
           count(*) FILTER (WHERE i.due < m.month_end) AS overdue_items
    FROM months m
    JOIN action_items i ON i.created_at::date <= m.month_end
         AND (i.status IN ('open', 'in_progress') OR i.updated_at::date > m.month_end)
    JOIN meetings mt ON mt.id = i.meeting_id AND mt.kind <> 'case_conference'
    GROUP BY 1, 2
),
projects AS (
    SELECT l.target AS area, m.month_start, count(*) AS active_projects
    FROM months m
    JOIN improvement_projects p ON p.status NOT IN ('idea', 'paused')
         AND p.start_on <= m.month_end AND (p.end_on IS NULL OR p.end_on >= m.month_end)
    JOIN improvement_links l ON l.owner_id = p.id AND l.relation = 'project_municipality'
    GROUP BY 1, 2
),
coaching AS (
    SELECT l.target AS area, m.month_start, count(*) AS coaches,
           count(*) FILTER (WHERE c.certified_on <= m.month_end) AS certified
    FROM months m
    JOIN coaches c ON c.created_at::date <= m.month_end
    JOIN staff s ON s.id = c.staff_id AND s.active
    JOIN improvement_links l ON l.owner_id = c.staff_id AND l.relation = 'coach_municipality'
    GROUP BY 1, 2
)
SELECT a.area, m.month_start, cc.median_days, cc.mean_days, cc.persons, cc.late, cc.readmitted,
       h.network_meetings, h.cafes, h.esther_share, i.open_items, i.overdue_items,
       p.active_projects, co.coaches, co.certified
FROM areas a CROSS JOIN months m
LEFT JOIN care_chain cc ON cc.area = a.area AND cc.month_start = m.month_start
LEFT JOIN held h ON h.area = a.area AND h.month_start = m.month_start
LEFT JOIN items i ON i.area = a.area AND i.month_start = m.month_start
LEFT JOIN projects p ON p.area = a.area AND p.month_start = m.month_start
LEFT JOIN coaching co ON co.area = a.area AND co.month_start = m.month_start
ORDER BY a.area, m.month_start;
