DROP INDEX blocks_one_in_force;
