package privatelink

// enumStrings converts a list of SDK string enums to plain strings.
func enumStrings[E ~string](xs []E) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// nonNil turns a nil slice into an empty one, so that Terraform sees an
// empty list rather than null for "AWS reported none".
func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
