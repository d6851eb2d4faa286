package privatelink

import (
	"context"
	"fmt"
	"strings"
)

// maxIDsPerCall keeps each describe call well inside EC2's limits.
const maxIDsPerCall = 100

// describePages describes a list of IDs, following NextToken to the last
// page: an ID missing from the first page is not missing.
type describePages[T any] func(ctx context.Context, ids []string) (map[string]T, error)

// describeByIDs calls describe in chunks. EC2 fails a whole call when one of
// its IDs does not exist or is malformed; then the chunk is split in halves
// until the bad IDs stand alone. That costs a few calls, only in the rare
// case. Unknown IDs are absent from found; malformed ones are in idErrs.
func describeByIDs[T any](ctx context.Context, kind string, ids []string, codes idErrorCodes, describe describePages[T]) (map[string]T, map[string]error, error) {
	found, idErrs := map[string]T{}, map[string]error{}
	for start := 0; start < len(ids); start += maxIDsPerCall {
		chunk := ids[start:min(start+maxIDsPerCall, len(ids))]
		if err := describeSplitting(ctx, kind, chunk, codes, describe, found, idErrs); err != nil {
			return nil, nil, err
		}
	}
	return found, idErrs, nil
}

func describeSplitting[T any](ctx context.Context, kind string, ids []string, codes idErrorCodes, describe describePages[T],
	found map[string]T, idErrs map[string]error) error {
	got, err := describe(ctx, ids)
	code := errorCode(err)
	switch {
	case err == nil:
		for k, v := range got {
			found[k] = v
		}
		return nil
	case !codes.isNotFound(code) && !codes.isMalformed(code):
		return fmt.Errorf("describing %s: %w", strings.Join(ids, ", "), err)
	case len(ids) == 1 && codes.isMalformed(code):
		idErrs[ids[0]] = &MalformedIDError{Kind: kind, ID: ids[0], Cause: err}
		return nil
	case len(ids) == 1:
		return nil // that one does not exist
	}
	half := len(ids) / 2
	if err := describeSplitting(ctx, kind, ids[:half], codes, describe, found, idErrs); err != nil {
		return err
	}
	return describeSplitting(ctx, kind, ids[half:], codes, describe, found, idErrs)
}
