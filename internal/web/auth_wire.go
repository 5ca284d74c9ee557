package web

import (
	"lvzhi/internal/audit"
	"lvzhi/internal/auth"
)

// The auth package cannot import audit (audit imports auth for *Actor), so the
// web layer, which serves every account change, wires the recorder.
func init() { auth.AuditRecord = audit.Record }
