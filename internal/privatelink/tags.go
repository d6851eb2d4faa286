package privatelink

import (
	"context"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwtypes "github.com/hashicorp/terraform-plugin-framework/types"
)

// tagMap is the endpoint's tags as users see them: the provider's own
// creation marker is left out.
func tagMap(tags []types.Tag) map[string]string {
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		if k := aws.ToString(t.Key); k != creationMarkerKey {
			m[k] = aws.ToString(t.Value)
		}
	}
	return m
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
// except those that only come from default_tags, so that a tag added
// outside Terraform shows up as drift. configured is the prior value, whose
// null-or-empty shape is kept when nothing is left.
func resourceTags(ctx context.Context, all, defaults map[string]string, configured fwtypes.Map, diags *diag.Diagnostics) fwtypes.Map {
	var own map[string]string
	if !configured.IsNull() && !configured.IsUnknown() {
		diags.Append(configured.ElementsAs(ctx, &own, false)...)
	}
	out := map[string]string{}
	for k, v := range all {
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
