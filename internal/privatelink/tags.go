package privatelink

import (
	"context"
	"maps"
	"slices"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// tagMap is the endpoint's tags, the creation marker included: tags_all
// shows it, so that a plan can remove it (creation_marker.go).
func tagMap(tags []types.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}

// unmarked is a copy of ep without the creation marker; ep may be shared
// with other callers of a batched look-up, so it is left as it is.
func unmarked(ep *types.VpcEndpoint) *types.VpcEndpoint {
	cp := *ep
	cp.Tags = slices.DeleteFunc(slices.Clone(ep.Tags), func(t types.Tag) bool { return aws.ToString(t.Key) == creationMarkerKey })
	return &cp
}

func ec2Tags(m map[string]string) []types.Tag {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tags := make([]types.Tag, len(keys))
	for i, k := range keys {
		tags[i] = types.Tag{Key: aws.String(k), Value: aws.String(m[k])}
	}
	return tags
}

// mergeTags is tags_all: the provider's default_tags under the resource's own.
func mergeTags(defaults, own map[string]string) map[string]string {
	all := make(map[string]string, len(defaults)+len(own))
	for k, v := range defaults {
		all[k] = v
	}
	for k, v := range own {
		all[k] = v
	}
	return all
}

// resourceTags is what `tags` holds after a read: every tag on the endpoint
// except those that only come from default_tags, and the creation marker,
// so that a tag added outside Terraform shows up as drift. configured is the prior value, whose
// null-or-empty shape is kept when nothing is left.
func resourceTags(ctx context.Context, all, defaults map[string]string, configured fwtypes.Map, diags *diag.Diagnostics) fwtypes.Map {
	var own map[string]string
	if !configured.IsNull() && !configured.IsUnknown() {
		diags.Append(configured.ElementsAs(ctx, &own, false)...)
	}
	out := map[string]string{}
	for k, v := range all {
		if k == creationMarkerKey {
			continue
		}
		if dv, isDefault := defaults[k]; isDefault && dv == v {
			if _, alsoOwn := own[k]; !alsoOwn {
				continue
			}
		}
		out[k] = v
	}
	if len(out) == 0 && (configured.IsNull() || configured.IsUnknown()) {
		return fwtypes.MapNull(fwtypes.StringType)
	}
	return stringMap(ctx, out, diags)
}

// updateTags moves the endpoint's tags from old to new with at most one
// DeleteTags and one CreateTags call.
func updateTags(ctx context.Context, conn EC2API, id string, old, new map[string]string) error {
	var removed []types.Tag
	for k := range old {
		if _, keep := new[k]; !keep {
			removed = append(removed, types.Tag{Key: aws.String(k)})
		}
	}
	changed := map[string]string{}
	for k, v := range new {
		if ov, ok := old[k]; !ok || ov != v {
			changed[k] = v
		}
	}
	if len(removed) > 0 {
		if _, err := conn.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{id}, Tags: removed}); err != nil {
			return err
		}
	}
	if len(changed) > 0 {
		if _, err := conn.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{id}, Tags: ec2Tags(changed)}); err != nil {
			return err
		}
	}
	return nil
}

// tagEach is a batcher fetch that makes one tag call (CreateTags or
// DeleteTags) for many endpoints. EC2 refuses the whole call when one of
// them is unknown (it may be lagging behind its create); then each is tried
// alone, so that only the unknown ones are left out of the answer.
func tagEach(call func(ctx context.Context, ids []string) error) batchFetch[struct{}] {
	var fetch batchFetch[struct{}]
	fetch = func(ctx context.Context, ids []string) (map[string]struct{}, error) {
		err := call(ctx, ids)
		switch {
		case err == nil:
			done := make(map[string]struct{}, len(ids))
			for _, id := range ids {
				done[id] = struct{}{}
			}
			return done, nil
		case !isEndpointNotFoundCode(errorCode(err)):
			return nil, err
		case len(ids) == 1:
			return nil, nil // not known yet
		}
		done := map[string]struct{}{}
		for _, id := range ids {
			one, err := fetch(ctx, []string{id})
			if err != nil {
				return nil, err
			}
			maps.Copy(done, one)
		}
		return done, nil
	}
	return chunked(fetch)
}

// retryWhileUnknown calls f until EC2 knows the endpoint it names (a
// not-found answer may be EC2 lagging behind the create), ctx ends, or
// it fails otherwise; it returns f's last error.
func retryWhileUnknown(ctx context.Context, p poller, f func(context.Context) error) error {
	var lastErr error
	err := p.retry(ctx, func(ctx context.Context) (bool, error) {
		lastErr = f(ctx)
		if isNotFound(lastErr) || isEndpointNotFoundCode(errorCode(lastErr)) {
			return false, nil
		}
		return true, lastErr
	})
	if err != nil && lastErr != nil {
		return lastErr // says more than why the retries ended
	}
	return err
}
