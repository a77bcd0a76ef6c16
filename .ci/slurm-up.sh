#!/usr/bin/env bash
# Brings up a single-node Slurm (controller and compute on this host) for the tests of
# `--backend slurm`: writes /etc/slurm/slurm.conf for this host (CPUs and topology from
# `slurmd -C`, RealMemory below what it reports), starts munged, slurmctld and slurmd
# directly (no systemd), and waits until the node is idle. Needs root and the packages
# slurm-wlm and munge (`apt-get install -y slurm-wlm munge`). .ci/slurm-down.sh stops the
# daemons by their PIDs. Accounting (sacct) is not configured.
set -euo pipefail

host=$(hostname -s)
node=$(slurmd -C | head -n 1)
cpus=$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$node")
boards=$(sed -n 's/.*Boards=\([0-9]*\).*/\1/p' <<<"$node")
sockets=$(sed -n 's/.*SocketsPerBoard=\([0-9]*\).*/\1/p' <<<"$node")
cores=$(sed -n 's/.*CoresPerSocket=\([0-9]*\).*/\1/p' <<<"$node")
threads=$(sed -n 's/.*ThreadsPerCore=\([0-9]*\).*/\1/p' <<<"$node")
memory=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node")
memory=$((memory * 9 / 10))

mkdir -p /etc/slurm
cat >/etc/slurm/slurm.conf <<CONF
ClusterName=localcluster
SlurmctldHost=${host}(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MinJobAge=300
NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus} Boards=${boards} SocketsPerBoard=${sockets} CoresPerSocket=${cores} ThreadsPerCore=${threads} RealMemory=${memory} State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

# munged refuses to run as root; /run/munge is a tmpfs and must exist first.
install -d -o munge -g munge -m 755 /run/munge
runuser -u munge -- /usr/sbin/munged
mkdir -p /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
slurmctld
slurmd
for _ in $(seq 1 100); do
    [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && exit 0
    sleep 0.1
done
echo "slurm-up: the node did not become idle; sinfo says: $(sinfo -h -o '%T %E' 2>&1)" >&2
exit 1
