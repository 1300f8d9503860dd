// The Go structs Podman 4.3.1's --format templates see, field by field in
// declaration order with their Go types (asked of Podman itself with
// {{printf "%T" .Field}}), for go-view.ts. `Field@key`: the JSON key differs;
// `Field()`: a method.
import type {GoTypes} from './go-view.js'

export const PODMAN_TYPES: GoTypes = {
  // container inspect
  'entities.ContainerInspectReport': 'InspectContainerData=*define.InspectContainerData',
  'define.InspectContainerData': 'ID=string Created=time.Time Path=string Args=[]string State=*define.InspectContainerState Image=string ImageDigest=string ImageName=string Rootfs=string Pod=string ResolvConfPath=string HostnamePath=string HostsPath=string StaticDir=string OCIConfigPath=string OCIRuntime=string ConmonPidFile=string PidFile=string Name=string RestartCount=int32 Driver=string MountLabel=string ProcessLabel=string AppArmorProfile=string EffectiveCaps=[]string BoundingCaps=[]string ExecIDs=[]string GraphDriver=*define.DriverData SizeRw=*int64 SizeRootFs=int64 Mounts=[]define.InspectMount Dependencies=[]string NetworkSettings=*define.InspectNetworkSettings Namespace=string IsInfra=bool IsService=bool Config=*define.InspectContainerConfig HostConfig=*define.InspectContainerHostConfig',
  'define.InspectContainerState': 'Healthcheck()@Health=define.HealthCheckResults OciVersion=string Status=string Running=bool Paused=bool Restarting=bool OOMKilled=bool Dead=bool Pid=int ConmonPid=int ExitCode=int32 Error=string StartedAt=time.Time FinishedAt=time.Time Health=define.HealthCheckResults Checkpointed=bool CgroupPath=string CheckpointedAt=time.Time RestoredAt=time.Time CheckpointLog=string CheckpointPath=string RestoreLog=string Restored=bool',
  'define.HealthCheckResults': 'Status=string FailingStreak=int Log=[]define.HealthCheckLog',
  'define.DriverData': 'Name=string Data=map[string]string',
  'define.InspectNetworkSettings': 'InspectBasicNetworkConfig=define.InspectBasicNetworkConfig Bridge=string SandboxID=string HairpinMode=bool LinkLocalIPv6Address=string LinkLocalIPv6PrefixLen=int Ports=map[string][]define.InspectHostPort SandboxKey=string Networks=map[string]*define.InspectAdditionalNetwork',
  'define.InspectBasicNetworkConfig': 'EndpointID=string Gateway=string IPAddress=string IPPrefixLen=int SecondaryIPAddresses=[]define.Address IPv6Gateway=string GlobalIPv6Address=string GlobalIPv6PrefixLen=int SecondaryIPv6Addresses=[]define.Address MacAddress=string AdditionalMacAddresses=[]string',
  'define.InspectContainerConfig': 'Hostname=string DomainName@Domainname=string User=string AttachStdin=bool AttachStdout=bool AttachStderr=bool Tty=bool OpenStdin=bool StdinOnce=bool Env=[]string Cmd=[]string Image=string Volumes=map[string]struct{} WorkingDir=string Entrypoint=string OnBuild=*string Labels=map[string]string Annotations=map[string]string StopSignal=uint Healthcheck=*manifest.Schema2HealthConfig HealthcheckOnFailureAction=string CreateCommand=[]string Timezone=string SystemdMode=bool Umask=string Secrets=[]*define.InspectSecret Timeout=uint StopTimeout=uint Passwd=*bool ChrootDirs=[]string SdNotifyMode@sdNotifyMode=string SdNotifySocket@sdNotifySocket=string',
  'manifest.Schema2HealthConfig': 'Test=[]string StartPeriod=time.Duration Interval=time.Duration Timeout=time.Duration Retries=int',
  'define.InspectContainerHostConfig': 'Binds=[]string CgroupManager=string CgroupMode=string ContainerIDFile=string LogConfig=*define.InspectLogConfig NetworkMode=string PortBindings=map[string][]define.InspectHostPort RestartPolicy=*define.InspectRestartPolicy AutoRemove=bool VolumeDriver=string VolumesFrom=[]string CapAdd=[]string CapDrop=[]string Dns=[]string DnsOptions=[]string DnsSearch=[]string ExtraHosts=[]string GroupAdd=[]string IpcMode=string Cgroup=string Cgroups=string Links=[]string OomScoreAdj=int PidMode=string Privileged=bool PublishAllPorts=bool ReadonlyRootfs=bool SecurityOpt=[]string Tmpfs=map[string]string UTSMode=string UsernsMode=string IDMappings=*define.InspectIDMappings ShmSize=int64 Runtime=string ConsoleSize=[]uint Isolation=string CpuShares=uint64 Memory=int64 NanoCpus=int64 CgroupParent=string BlkioWeight=uint16 BlkioWeightDevice=[]define.InspectBlkioWeightDevice BlkioDeviceReadBps=[]define.InspectBlkioThrottleDevice BlkioDeviceWriteBps=[]define.InspectBlkioThrottleDevice BlkioDeviceReadIOps=[]define.InspectBlkioThrottleDevice BlkioDeviceWriteIOps=[]define.InspectBlkioThrottleDevice CpuPeriod=uint64 CpuQuota=int64 CpuRealtimePeriod=uint64 CpuRealtimeRuntime=int64 CpusetCpus=string CpusetMems=string Devices=[]define.InspectDevice DiskQuota=uint64 KernelMemory=int64 MemoryReservation=int64 MemorySwap=int64 MemorySwappiness=int64 OomKillDisable=bool Init=bool PidsLimit=int64 Ulimits=[]define.InspectUlimit CpuCount=uint64 CpuPercent=uint64 IOMaximumIOps=uint64 IOMaximumBandwidth=uint64 CgroupConf=map[string]string',
  'define.InspectLogConfig': 'Type=string Config=map[string]string Path=string Tag=string Size=string',
  'define.InspectRestartPolicy': 'Name=string MaximumRetryCount=uint',
  'define.InspectIDMappings': 'UIDMap@UidMap=[]string GIDMap@GidMap=[]string',
  'define.InspectMount': 'Type=string Name=string Source=string Destination=string Driver=string Mode=string Options=[]string RW=bool Propagation=string',
  'define.InspectBlkioThrottleDevice': 'Path=string Rate=uint64',
  'define.InspectBlkioWeightDevice': 'Path=string Weight=uint16',
  'define.InspectDevice': 'PathOnHost=string PathInContainer=string CgroupPermissions=string',
  'define.InspectUlimit': 'Name=string Soft=int64 Hard=int64',
  'define.InspectHostPort': 'HostIP@HostIp=string HostPort=string',

  // pod inspect
  'entities.PodInspectReport': 'InspectPodData=*define.InspectPodData',
  'define.InspectPodData': 'ID=string Name=string Namespace=string Created=time.Time CreateCommand=[]string ExitPolicy=string State=string Hostname=string Labels=map[string]string CreateCgroup=bool CgroupParent=string CgroupPath=string CreateInfra=bool InfraContainerID=string InfraConfig=*define.InspectPodInfraConfig SharedNamespaces=[]string NumContainers=uint Containers=[]define.InspectPodContainerInfo CPUPeriod@cpu_period=uint64 CPUQuota@cpu_quota=int64 CPUShares@cpu_shares=uint64 CPUSetCPUs@cpuset_cpus=string CPUSetMems@cpuset_mems=string Mounts@mounts=[]define.InspectMount Devices@devices=[]define.InspectDevice BlkioDeviceReadBps@device_read_bps=[]define.InspectBlkioThrottleDevice BlkioDeviceWriteBps@device_write_bps=[]define.InspectBlkioThrottleDevice VolumesFrom@volumes_from=[]string SecurityOpts@security_opt=[]string MemoryLimit@memory_limit=uint64 MemorySwap@memory_swap=uint64 BlkioWeight@blkio_weight=uint64 BlkioWeightDevice@blkio_weight_device=[]define.InspectBlkioWeightDevice',
  'define.InspectPodInfraConfig': 'PortBindings=map[string][]define.InspectHostPort HostNetwork=bool StaticIP=net.IP StaticMAC=string NoManageResolvConf=bool DNSServer=[]string DNSSearch=[]string DNSOption=[]string NoManageHosts=bool HostAdd=[]string Networks=[]string NetworkOptions=map[string][]string CPUPeriod@cpu_period=uint64 CPUQuota@cpu_quota=int64 CPUSetCPUs@cpuset_cpus=string PidNS@pid_ns=string UserNS@userns=string UtsNS@uts_ns=string',
  'define.InspectPodContainerInfo': 'ID@Id=string Name=string State=string',

  // ps: the rows its templates see are psReporter{entities.ListContainer}
  'entities.ListContainer': 'CGROUPNS()=string IPC()=string MNT()=string NET()=string PIDNS()=string USERNS()=string UTS()=string AutoRemove=bool Command=[]string Created=time.Time CreatedAt=string Exited=bool ExitedAt=int64 ExitCode=int32 ID=string Image=string ImageID=string IsInfra=bool Labels=map[string]string Mounts=[]string Names=[]string Namespaces=entities.ListContainerNamespaces Networks=[]string Pid=int Pod=string PodName=string Ports=[]types.PortMapping Size=*define.ContainerSize StartedAt=int64 State=string Status=string',
  'entities.ListContainerNamespaces': 'MNT@Mnt=string Cgroup=string IPC@Ipc=string NET@Net=string PIDNS@Pidns=string UTS@Uts=string User=string',
  'define.ContainerSize': 'RootFsSize@rootFsSize=int64 RwSize@rwSize=int64',
  'types.PortMapping': 'HostIP@host_ip=string ContainerPort@container_port=uint16 HostPort@host_port=uint16 Range@range=uint16 Protocol@protocol=string',

  // pod ps: pods.ListPodReporter{*entities.ListPodsReport}
  'entities.ListPodsReport': 'Cgroup=string Containers=[]*entities.ListPodContainer Created=time.Time Id=string InfraId=string Name=string Namespace=string Networks=[]string Status=string Labels=map[string]string',
  'entities.ListPodContainer': 'Id=string Names=string Status=string',

  // volume inspect (entities.VolumeInspectReport) and volume ls (entities.VolumeListReport)
  'entities.VolumeInspectReport': 'VolumeConfigResponse=*entities.VolumeConfigResponse',
  'entities.VolumeListReport': 'VolumeConfigResponse=entities.VolumeConfigResponse',
  'entities.VolumeConfigResponse': 'InspectVolumeData=define.InspectVolumeData',
  'define.InspectVolumeData': 'Name=string Driver=string Mountpoint=string CreatedAt=time.Time Status=map[string]interface{} Labels=map[string]string Scope=string Options=map[string]string UID=int GID=int Anonymous=bool MountCount=uint NeedsCopyUp=bool NeedsChown=bool Timeout=uint StorageID=string',

  // images: imageReporter{Repository, Tag, entities.ImageSummary}
  'entities.ImageSummary': 'ID@Id=string ParentId=string RepoTags=[]string RepoDigests=[]string Created=int64 Size=int64 SharedSize=int VirtualSize=int64 Labels=map[string]string Containers=int ReadOnly=bool Dangling=bool Names=[]string Digest=string History=[]string',

  // history: historyReporter{entities.ImageHistoryLayer}
  'entities.ImageHistoryLayer': 'ID@id=string Created@created=time.Time CreatedBy=string Tags@tags=[]string Size@size=int64 Comment@comment=string',
}
