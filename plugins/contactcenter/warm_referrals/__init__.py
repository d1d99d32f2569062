"""Warm (closed-loop) referrals (issue 20): a referral sent to the resource's organisation with a
secure link; the partner, without an account, accepts it, declines it with a reason or reports its
outcome, and updates its programmes' capacity; the agent follows the status on the contact and in a
queue that flags the referrals left unanswered."""
