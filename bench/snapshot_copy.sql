-- What a rescore costs now that runs are snapshots (docs/benchmarks.md, "Runs are snapshots"): a table
-- shaped like matching_matchscore holding one run of 100,000 rows with five explained matches each,
-- then (a) the old way's write, re-ranking the whole run in place (apps.matching.services._rerank), and
-- (b) the new run: the candidate's row, its rank, and the other rows copied with their ranks
-- (apps.matching.services._copy_ranked). Run against a throwaway database:
--   createdb snapshot_bench && psql -d snapshot_bench -f bench/snapshot_copy.sql && dropdb snapshot_bench
DROP TABLE IF EXISTS s;
CREATE TABLE s (id bigserial primary key, run_id bigint, candidate_id bigint, rank int, score float8,
  must_have_met bool, verified_share float8, explanation jsonb, covered_skills text, blind_code varchar(9),
  must_haves_covered smallint, freshest_evidence date);
CREATE INDEX ON s (run_id, rank);
CREATE UNIQUE INDEX ON s (run_id, candidate_id);
INSERT INTO s (run_id, candidate_id, rank, score, must_have_met, verified_share, explanation, covered_skills,
  blind_code, must_haves_covered, freshest_evidence)
SELECT 1, g, g, random() * 100, random() > 0.3, random(),
  jsonb_build_object('matches', (SELECT jsonb_agg(jsonb_build_object('required', 'skill ' || k,
    'matched', 'phrase ' || k || ' ' || g, 'source', 'Credential title ' || g, 'source_kind', 'verified',
    'credential_id', g * 10 + k, 'issuer', 'Issuer ' || (g % 50), 'issued', '2025-06-01', 'similarity', 0.9,
    'credit', 0.8, 'must_have', k < 2, 'factors', jsonb_build_object('match', 0.9, 'strength', 1, 'volume', 0.9,
    'level', 1, 'quality', 0.95, 'freshness', 1, 'assessment_score', 1, 'corroboration', 0)))
    FROM generate_series(1, 5) k), 'missing', '[]'::jsonb, 'must_have_missing', '[]'::jsonb),
  '|skill 1|skill 2|', 'ABCD-EFGH', 2, '2025-06-01'
FROM generate_series(1, 100000) g;
ANALYZE s;
SELECT pg_size_pretty(pg_total_relation_size('s')) AS one_run_on_disk;
\timing on
-- (a) the old way: re-rank the run in place (every row rewritten)
UPDATE s SET rank = r.rn FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY must_have_met DESC, score DESC,
  candidate_id ASC) AS rn FROM s WHERE run_id = 1) r WHERE s.id = r.id;
-- (b) the new way: run 2 = run 1 with candidate 90000's row replaced
INSERT INTO s (run_id, candidate_id, rank, score, must_have_met, verified_share, explanation, covered_skills,
  blind_code, must_haves_covered, freshest_evidence)
SELECT 2, candidate_id, 0, 99.5, true, verified_share, explanation, covered_skills, blind_code,
  must_haves_covered, freshest_evidence FROM s WHERE run_id = 1 AND candidate_id = 90000;
UPDATE s SET rank = (SELECT r.rn FROM (SELECT id, candidate_id, ROW_NUMBER() OVER (ORDER BY must_have_met DESC,
  score DESC, candidate_id ASC) AS rn FROM s WHERE (run_id = 1 AND candidate_id <> 90000)
  OR (run_id = 2 AND candidate_id = 90000)) r WHERE r.candidate_id = 90000) WHERE run_id = 2 AND candidate_id = 90000;
INSERT INTO s (run_id, rank, candidate_id, score, must_have_met, verified_share, explanation, covered_skills,
  blind_code, must_haves_covered, freshest_evidence)
SELECT 2, r.rn, s.candidate_id, s.score, s.must_have_met, s.verified_share, s.explanation, s.covered_skills,
  s.blind_code, s.must_haves_covered, s.freshest_evidence FROM s JOIN (SELECT id, candidate_id, ROW_NUMBER()
  OVER (ORDER BY must_have_met DESC, score DESC, candidate_id ASC) AS rn FROM s WHERE (run_id = 1 AND
  candidate_id <> 90000) OR (run_id = 2 AND candidate_id = 90000)) r ON r.id = s.id WHERE s.candidate_id <> 90000;
-- a pruned rescore run
DELETE FROM s WHERE run_id = 2;
\timing off
DROP TABLE s;
