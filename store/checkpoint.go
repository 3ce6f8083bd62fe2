package store

import (
	"context"
	"time"
)

// Checkpoints. SQLite's automatic checkpoint copies the WAL back into the
// database file inside the COMMIT that crosses its threshold, so every few
// thousand pages one unlucky write (a clerk's batch, a chunk of a bulk
// approval) paid for all the others. Instead a goroutine of the DB runs a
// PASSIVE checkpoint, which never blocks a reader or a writer, shortly after
// writes; the automatic one stays as a backstop at a much larger WAL
// (walBackstopPages) in case this goroutine cannot keep up.

const (
	// checkpointDelay lets a burst of writes finish before copying them.
	checkpointDelay = 100 * time.Millisecond
	// walBackstopPages is SQLite's own threshold: 16,384 pages, 64 MiB.
	walBackstopPages = 16384
)

// startCheckpointer starts the background checkpoint goroutine; Close stops it.
func (db *DB) startCheckpointer() {
	db.wrote = make(chan struct{}, 1)
	db.stopCheckpoints = make(chan struct{})
	db.checkpointerDone = make(chan struct{})
	go func() {
		defer close(db.checkpointerDone)
		for {
			select {
			case <-db.stopCheckpoints:
				return
			case <-db.wrote:
			}
			select {
			case <-db.stopCheckpoints:
				return
			case <-time.After(checkpointDelay):
			}
			// A failed checkpoint is retried after the next write; the
			// backstop keeps the WAL bounded meanwhile.
			db.sql.ExecContext(context.Background(), `PRAGMA wal_checkpoint(PASSIVE)`)
		}
	}()
}

// noteWrite tells the checkpointer a transaction committed.
func (db *DB) noteWrite() {
	select {
	case db.wrote <- struct{}{}:
	default:
	}
}

// stopCheckpointer ends the goroutine; closing the last connection then
// checkpoints what is left, as SQLite always does.
func (db *DB) stopCheckpointer() {
	if db.stopCheckpoints != nil {
		close(db.stopCheckpoints)
		<-db.checkpointerDone
		db.stopCheckpoints = nil
	}
}
