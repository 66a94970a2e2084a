-- One word for one thing: the operation is a replay (POST .../replay), and so is its table.
ALTER TABLE projection_rebuild RENAME TO projection_replay;
ALTER INDEX projection_rebuild_pkey RENAME TO projection_replay_pkey;
