package privatelink

import (
	"errors"
	"fmt"

	"github.com/aws/smithy-go"
)

// NotFoundError is what every finder returns when the thing asked for does
// not exist (an error code, an empty answer, or an endpoint in state
// deleted all mean the same to callers). Test for it with errors.As.
type NotFoundError struct {
	Kind  string // "VPC endpoint", "VPC endpoint service", ...
	ID    string
	Cause error // the API error, when there was one
	// Deleted is set when EC2 described the thing as deleted: a sure
	// answer, unlike "unknown", which may be EC2 lagging behind a create.
	Deleted bool
}

func (e *NotFoundError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s %s not found: %s", e.Kind, e.ID, e.Cause)
	}
	return fmt.Sprintf("%s %s not found", e.Kind, e.ID)
}

func (e *NotFoundError) Unwrap() error { return e.Cause }

// isNotFound reports whether err is, or wraps, a NotFoundError.
func isNotFound(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf)
}

// mayBeLagging reports whether err is a not-found answer that eventual
// consistency may explain: EC2 did not know the ID, rather than describing
// it as deleted.
func mayBeLagging(err error) bool {
	var nf *NotFoundError
	return errors.As(err, &nf) && !nf.Deleted
}

// errorCode returns the AWS error code of err ("InvalidServiceName"), or ""
// when err did not come from an AWS API answer.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}
