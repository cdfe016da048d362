-- Reference: reading the same 50 persons, no event written.
\set first random(1, 340000)
SELECT count(*) FROM persons_x p WHERE p.n BETWEEN :first AND :first + 49;
